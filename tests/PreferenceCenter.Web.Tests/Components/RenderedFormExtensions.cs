using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>
/// Drives a rendered form the way a person reads it: fields by their visible label (so the label must really point at
/// the field), buttons by their text or accessible name. One set for every component test.
/// </summary>
public static class RenderedFormExtensions
{
    /// <summary>
    /// The field a label points at. The label's whole text, or else the start of exactly one label's text
    /// ("Primary colour" for "Primary colour (optional)", "consents:read:" for a scope's checkbox).
    /// </summary>
    public static IElement Field<TComponent>(this IRenderedComponent<TComponent> host, string label)
        where TComponent : IComponent =>
        host.Find($"#{Label(host, label).GetAttribute("for")}");

    public static Task FillAsync<TComponent>(this IRenderedComponent<TComponent> host, string label, string value)
        where TComponent : IComponent =>
        host.Field(label).ChangeAsync(new ChangeEventArgs { Value = value });

    /// <summary>Ticks or clears the checkbox inside a label (MudBlazor wraps the input in its label).</summary>
    public static Task TickAsync<TComponent>(this IRenderedComponent<TComponent> host, string label, bool on = true)
        where TComponent : IComponent =>
        Label(host, label).QuerySelector("input[type=checkbox]")!.ChangeAsync(new ChangeEventArgs { Value = on });

    /// <summary>Clicks the one button that shows this text.</summary>
    public static Task ButtonAsync<TComponent>(this IRenderedComponent<TComponent> host, string text)
        where TComponent : IComponent =>
        host.FindAll("button").Single(b => b.TextContent.Trim() == text).ClickAsync(new MouseEventArgs());

    /// <summary>An icon button, by the accessible name a screen reader announces.</summary>
    public static IElement Button<TComponent>(this IRenderedComponent<TComponent> host, string accessibleName)
        where TComponent : IComponent =>
        host.Find($"button[aria-label='{accessibleName}']");

    /// <summary>Clicks an icon button, then a button of the confirm dialog it opens.</summary>
    public static async Task ConfirmAsync<TComponent>(this IRenderedComponent<TComponent> host, string button, string answer)
        where TComponent : IComponent
    {
        // The click's handler waits for the dialog's answer, so it finishes only after the second click.
        var clicked = host.Button(button).ClickAsync(new MouseEventArgs());
        host.WaitForElement(".mud-dialog");
        await host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == answer).ClickAsync(new MouseEventArgs());
        await clicked;
    }

    private static IElement Label<TComponent>(IRenderedComponent<TComponent> host, string text)
        where TComponent : IComponent
    {
        var labels = host.FindAll("label");
        var exact = labels.Where(l => l.TextContent.Trim() == text).ToList();
        return exact.Count > 0
            ? exact.Single()
            : labels.Single(l => l.TextContent.Trim().StartsWith(text, StringComparison.Ordinal));
    }
}
