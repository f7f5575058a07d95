using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PreferenceCenter.Web.Features.Common;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>The yes/no question before something that cannot be undone: Escape is "no", whichever button has the focus.</summary>
public sealed class ConfirmDialogTests : PreferenceComponentTestContext
{
    [Theory]
    [InlineData("Cancel")]
    [InlineData("Stop all texts")]
    public async Task Escape_OnEitherButton_AnswersNo_AndClosesTheDialog(string focused)
    {
        var host = Render<ProvidersHost>();
        var answer = host.InvokeAsync(() => ConfirmDialog.AskAsync(Services.GetRequiredService<IDialogService>(), "Stop all texts?", "Every text purpose will be withdrawn.", "Stop all texts", "Cancel"));
        var button = host.WaitForElement($"button:contains('{focused}')");

        await button.KeyDownAsync(new KeyboardEventArgs { Key = "Escape" });

        // Bounded waits: without the handler the question stays open, and the test must fail, not hang.
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[role='dialog']")), TimeSpan.FromSeconds(10));
        Assert.False(await answer.WaitAsync(TimeSpan.FromSeconds(10), Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OtherKeys_OnTheButtons_LeaveTheQuestionOpen()
    {
        var host = Render<ProvidersHost>();
        var answer = host.InvokeAsync(() => ConfirmDialog.AskAsync(Services.GetRequiredService<IDialogService>(), "Stop all texts?", "Every text purpose will be withdrawn.", "Stop all texts", "Cancel"));
        var cancel = host.WaitForElement("button:contains('Cancel')");

        await cancel.KeyDownAsync(new KeyboardEventArgs { Key = "a" });

        Assert.False(answer.IsCompleted);
        Assert.Single(host.FindAll("[role='dialog']"));
    }
}
