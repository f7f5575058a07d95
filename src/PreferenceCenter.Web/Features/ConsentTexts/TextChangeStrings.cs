using System.Globalization;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Web.Features.ConsentTexts;

/// <summary>
/// Every customer-facing string of the "terms changed" notice in one place, ready to move into resource files when
/// the page is localised.
/// </summary>
public static class TextChangeStrings
{
    public const string Heading = "We have changed what you agreed to";

    public const string Intro = "Please read what changed and tell us whether to keep sending these texts. Nothing changes until you choose.";

    public const string WhatChanged = "What changed";

    public const string Wording = "The wording, old and new";

    public const string Removed = "Removed: ";

    public const string Added = "Added: ";

    public const string EndRemoved = " (end of removed text) ";

    public const string EndAdded = " (end of added text) ";

    public const string Keep = "Keep these texts";

    public const string Withdraw = "Stop these texts";

    public const string AlertsNeverLapse = "Account alerts stay on until you choose.";

    public const string SaveFailed = "Sorry, we could not save your answer. Nothing was changed; please try again.";

    public const string AlreadyAnswered = "Your choice was already saved (perhaps in another tab).";

    public static string PurposeHeading(Purpose purpose) => $"{purpose.DisplayName()}: new terms";

    public static string LapsesOn(string when) => $"If you do not answer by {when}, we will stop sending these texts.";

    public static string Kept(Purpose purpose) => $"Saved: you will keep getting {purpose.DisplayName().ToLower(CultureInfo.CurrentCulture)} texts under the new terms.";

    public static string Withdrawn(Purpose purpose) => $"Saved: we will not send you {purpose.DisplayName().ToLower(CultureInfo.CurrentCulture)} texts any more.";
}
