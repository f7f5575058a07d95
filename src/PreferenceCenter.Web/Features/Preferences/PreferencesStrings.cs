using Microsoft.Extensions.Localization;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Web.Features.Preferences;

/// <summary>Customer-facing words of the preferences page, its parts (also inside a host's frame) and receipts.</summary>
public sealed class PreferencesStrings;

internal static class PreferencesWords
{
    /// <summary>How a change was made, in the customer's words.</summary>
    public static string Method(this IStringLocalizer<PreferencesStrings> l, string method) => method switch
    {
        ConsentMethod.Web => l["Method_Web"],
        ConsentMethod.Agent => l["Method_Agent"],
        ConsentMethod.Sms => l["Method_Sms"],
        ConsentMethod.Api => l["Method_Api"],
        ConsentMethod.Import => l["Method_Import"],
        ConsentMethod.System => l["Method_System"],
        _ when method.StartsWith("embedded:", StringComparison.Ordinal) => l["Method_Embedded"],
        _ => method,
    };

    /// <summary>The app's own reasons in the page's language; a reason someone typed (an agent, a text) as it was recorded.</summary>
    public static string Reason(this IStringLocalizer<PreferencesStrings> l, string reason) => reason switch
    {
        ConsentReasons.NumberChanged => l["Reason_NumberChanged"],
        ConsentReasons.StopAll => l["Reason_StopAll"],
        ConsentReasons.AccountDeleted => l["Reason_AccountDeleted"],
        ConsentReasons.NumberVerifiedByAnotherCustomer => l["Reason_NumberVerifiedByAnotherCustomer"],
        ConsentReasons.NumberVerifiedByNewHolder => l["Reason_NumberVerifiedByNewHolder"],
        ConsentReasons.KeptAfterChange => l["Reason_KeptAfterChange"],
        ConsentReasons.WithdrawnAfterChange => l["Reason_WithdrawnAfterChange"],
        ConsentReasons.NotReconfirmed => l["Reason_NotReconfirmed"],
        _ => reason,
    };

    /// <summary>The plain-language refusal shown next to the phone field.</summary>
    public static string PhoneError(this IStringLocalizer<PreferencesStrings> l, PhoneNumberError error) =>
        Enum.IsDefined(error) ? l[$"Phone_{error}"] : l["Phone_Unusable"];
}
