using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Embedding;
using PreferenceCenter.Web.Features.Common;

namespace PreferenceCenter.Web.Features.Embedding;

public sealed partial class EmbeddedPreferences
{
    private VerifiedPhone? _number;
    private IReadOnlyList<ConsentText> _texts = [];
    private IReadOnlyList<ConsentStateView> _states = [];
    private IReadOnlyList<ConsentHistoryItem> _history = [];
    private IJSObjectReference? _frame;
    private bool _loaded;
    private bool _loadFailed;
    private string? _documentLanguage;

    [Parameter, EditorRequired]
    public EmbedSession Session { get; set; } = default!;

    [Inject]
    private IConsentService Consents { get; set; } = default!;

    [Inject]
    private IPhoneVerificationService Verification { get; set; } = default!;

    [Inject]
    private ICustomerDirectory Customers { get; set; } = default!;

    [Inject]
    private ClientContext Client { get; set; } = default!;

    [Inject]
    private BrowserTime Time { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IStringLocalizer<EmbedStrings> L { get; set; } = default!;

    [Inject]
    private ILogger<EmbeddedPreferences> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Client.UseEmbedding(Session.Method, Session.EmbeddingOrigin);

        // The customer's earlier choice beats the browser's Accept-Language: no cookie remembers it in a frame.
        if (Languages.Match(Session.PreferredLanguage) is { } chosen)
        {
            Client.UseCulture(CultureInfo.GetCultureInfo(chosen));
        }

        try
        {
            await LoadTextsAsync();
            await ReloadAsync();
            _loaded = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            EmbedLog.LoadFailed(Logger, Session.SiteId, ex);
            _loadFailed = true;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && Session.EmbeddingOrigin is { } origin)
        {
            _frame = await JS.InvokeAsync<IJSObjectReference>("import", Navigation.BaseUri + "js/embed-frame.js");
            await _frame.InvokeVoidAsync("start", origin);
        }

        if (_documentLanguage != Client.Language)
        {
            // The frame's document was served in the request's language; <html lang> follows the page's.
            _documentLanguage = Client.Language;
            await using var module = await JS.InvokeAsync<IJSObjectReference>("import", Navigation.BaseUri + "js/page-language.js");
            await module.InvokeVoidAsync("set", _documentLanguage);
        }

        if (await Time.EnsureLoadedAsync())
        {
            StateHasChanged();
        }
    }

    // The texts in the page's language (English where a purpose has none), recorded as shown: provable later.
    private async Task LoadTextsAsync()
    {
        _texts = await Consents.GetCurrentTextsAsync(Client.Language);
        await Consents.RecordTextsShownAsync(Session.CustomerId, _texts.Select(t => t.Id).ToList(), Client.Evidence(Session.CustomerId));
    }

    // In place, not by reloading (the link works once); remembered on the customer, as a frame's cookies may be blocked.
    private async Task ChooseLanguageAsync(string language)
    {
        if (language == Client.Language || Languages.Match(language) is not { } chosen)
        {
            return;
        }

        Client.UseCulture(CultureInfo.GetCultureInfo(chosen));
        try
        {
            await Customers.SetPreferredLanguageAsync(Session.CustomerId, chosen);
            await LoadTextsAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            EmbedLog.LoadFailed(Logger, Session.SiteId, ex);
            _loadFailed = true;
        }
    }

    private async Task ReloadAsync()
    {
        _number = await Verification.GetCurrentNumberAsync(Session.CustomerId);
        _states = await Consents.GetStatesAsync(Session.CustomerId);
        _history = await Consents.GetHistoryAsync(Session.CustomerId);
    }

    // Tell the host page what changed (purpose + new state), from committed state only.
    private async Task ChangedAsync()
    {
        var before = _states.ToDictionary(s => s.Purpose, s => s.Granted);
        await ReloadAsync();
        foreach (var state in _states.Where(s => before.GetValueOrDefault(s.Purpose) != s.Granted))
        {
            if (_frame is not null && Session.EmbeddingOrigin is { } origin)
            {
                await _frame.InvokeVoidAsync("notify", origin, "consent-changed", new { purpose = state.Purpose.ToString(), granted = state.Granted });
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_frame is not null)
        {
            try
            {
                await _frame.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The frame is gone already; nothing to release on the browser side.
            }
        }
    }
}
