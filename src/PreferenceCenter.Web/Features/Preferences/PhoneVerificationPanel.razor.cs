using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Verification;
using PreferenceCenter.Web.Features.Common;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Web.Hosting;

namespace PreferenceCenter.Web.Features.Preferences;

public sealed partial class PhoneVerificationPanel
{
    private Step _step;
    private string? _codeInput;
    private string? _codeError;
    private string? _pendingNumber;
    private int _minutesLeft;
    private DateTimeOffset? _resendAt;
    private string? _notice;
    private long? _noticeSince;
    private Severity _noticeSeverity = Severity.Info;
    private bool _busy;
    private bool _focusCode;
    private MudTextField<string>? _codeField;

    // One sign-in attempt per page visit: its codes are this page's, nobody else's.
    private readonly Guid _flowId = Guid.NewGuid();

    private bool IsSignIn => CustomerId is null;

    private enum Step
    {
        Verified,
        EnterNumber,
        EnterCode,
    }

    /// <summary>The signed-in customer changing their number; null when someone signs in with a number (ADR 22).</summary>
    [Parameter]
    public Guid? CustomerId { get; set; }

    [Parameter]
    public VerifiedPhone? CurrentNumber { get; set; }

    [Parameter]
    public EventCallback OnVerified { get; set; }

    /// <summary>The customer's newest change; a notice about verifying goes once a later change is made.</summary>
    [Parameter]
    public long? LatestChange { get; set; }

    [Inject]
    private IPhoneVerificationService Verification { get; set; } = default!;

    [Inject]
    private IOptions<PhoneOptions> PhoneOptions { get; set; } = default!;

    [Inject]
    private IOptions<VerificationOptions> VerificationSettings { get; set; } = default!;

    [Inject]
    private ClientContext Client { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<PhoneVerificationPanel> Logger { get; set; } = default!;

    [Inject]
    private IStringLocalizer<PreferencesStrings> L { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _step = CurrentNumber is null ? Step.EnterNumber : Step.Verified;
        if (CustomerId is { } customerId && await Verification.GetPendingAsync(customerId) is { } pending && pending.PhoneE164 != CurrentNumber?.PhoneE164)
        {
            // A code sent before a reload is still waiting: carry on where the customer left off.
            ShowCodeStep(pending.PhoneE164, pending.ExpiresAt);
        }
    }

    private static string Display(string e164) => PhoneNumber.FromE164(e164).Display;

    private void StartChange()
    {
        _notice = null;
        _codeError = null;
        _step = Step.EnterNumber;
    }

    private void CancelChange()
    {
        _notice = null;
        _step = Step.Verified;
    }

    private async Task OnCodeKeyUp(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await VerifyAsync();
        }
    }

    private Task SendToNewNumberAsync(PhoneNumber number) => RunAsync(() =>
    {
        _notice = null;
        return SendAsync(number);
    });

    private Task ResendAsync() => RunAsync(() => SendAsync(PhoneNumber.FromE164(_pendingNumber!)));

    private async Task SendAsync(PhoneNumber number)
    {
        var result = CustomerId is { } customerId
            ? await Verification.SendCodeAsync(customerId, number, Client.IpAddress)
            : await Verification.SendSignInCodeAsync(_flowId, number, Client.IpAddress);
        if (!result.Sent)
        {
            _resendAt = result.Decision.Refusal == SendRefusal.Cooldown ? Clock.GetUtcNow() + result.Decision.RetryAfter : null;
            Notice(Severity.Warning, VerificationMessages.For(L, result.Decision));
            return;
        }

        _resendAt = Clock.GetUtcNow() + TimeSpan.FromSeconds(VerificationSettings.Value.ResendCooldownSeconds);
        ShowCodeStep(number.E164, result.ExpiresAt!.Value);
        Notice(Severity.Success, L["CodeSentNotice", number.Display]);
    }

    private Task VerifyAsync() => RunAsync(async () =>
    {
        _notice = null;
        if (VerificationCodes.Normalise(_codeInput) is null)
        {
            // Not a guess at all: tell the customer, and do not spend one of their attempts.
            _codeError = L["EnterTheCode"];
            return;
        }

        if (CustomerId is not { } customerId)
        {
            await SignInAsync();
            return;
        }

        var result = await Verification.VerifyAsync(customerId, _codeInput ?? string.Empty, Client.Evidence(customerId));
        if (result.Outcome != VerifyOutcome.Verified)
        {
            _codeError = VerificationMessages.For(L, result);
            return;
        }

        _codeError = null;
        _codeInput = null;
        _step = Step.Verified;
        Notice(Severity.Success, result.ConsentsRevoked > 0
            ? L["VerifiedChoicesWithdrawn"]
            : L["VerifiedChoose"]);
        await OnVerified.InvokeAsync();
    });

    // A live connection cannot set a cookie: a one-time link hands the proved number to a real request that can.
    private async Task SignInAsync()
    {
        var signIn = await Verification.VerifySignInAsync(_flowId, _codeInput ?? string.Empty);
        if (signIn.LinkToken is not { } token)
        {
            _codeError = VerificationMessages.For(L, signIn.Result);
            return;
        }

        _codeError = null;
        Navigation.NavigateTo("signin/complete/" + token, forceLoad: true);
    }

    private void ShowCodeStep(string e164, DateTimeOffset expiresAt)
    {
        _pendingNumber = e164;
        // A duration, not a clock time: the customer's phone and this server may not agree on the time zone.
        _minutesLeft = Math.Max(1, (int)Math.Ceiling((expiresAt - Clock.GetUtcNow()).TotalMinutes));
        _codeInput = null;
        _codeError = null;
        _step = Step.EnterCode;
        _focusCode = true;
    }

    // After "Send code" the next thing to do is type the code: keyboard and screen-reader users land there.
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusCode && _codeField is not null)
        {
            _focusCode = false;
            await _codeField.FocusAsync();
        }
    }

    private void Notice(Severity severity, string text)
    {
        _noticeSeverity = severity;
        _notice = text;
        _noticeSince = null;
    }

    // The first parameters after a notice carry the changes the verification itself made; any later change ends it.
    protected override void OnParametersSet()
    {
        if (_notice is null || LatestChange is not { } latest)
        {
            return;
        }

        if (_noticeSince is null)
        {
            _noticeSince = latest;
        }
        else if (_noticeSince != latest)
        {
            _notice = null;
        }
    }

    private async Task RunAsync(Func<Task> step)
    {
        _busy = true;
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PreferencesLog.VerificationFailed(Logger, ex);
            Notice(Severity.Error, L["SomethingWentWrong"]);
        }
        finally
        {
            _busy = false;
        }
    }
}
