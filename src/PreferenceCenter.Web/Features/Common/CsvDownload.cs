using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace PreferenceCenter.Web.Features.Common;

/// <summary>
/// The one way the app writes a CSV download (agent export, customer history). Cells hold text typed by customers
/// (user agents, reasons), so a cell that a spreadsheet would read as a formula is neutralised the way OWASP's
/// CSV-injection guidance says: a leading <c>'</c> and the field quoted. Phone numbers in E.164 start with <c>+</c>
/// and so come out as <c>'+447700900123</c>: text, never a formula or a number (ADR 25).
/// </summary>
internal static class CsvDownload
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>OWASP's list: formula starters, plus tab and carriage return that some programs skip before one.</summary>
    internal static readonly char[] FormulaStarters = ['=', '+', '-', '@', '\t', '\r'];

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        InjectionOptions = InjectionOptions.Escape,
        InjectionEscapeCharacter = '\'',
        InjectionCharacters = FormulaStarters,
    };

    // A BOM, so Excel opens the file as UTF-8 and shows "Café" rather than "CafÃ©".
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static async Task<IResult> FileAsync<T>(IEnumerable<T> rows, string fileName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, Utf8WithBom, leaveOpen: true))
        await using (var csv = new CsvWriter(writer, Configuration))
        {
            await csv.WriteRecordsAsync(rows, cancellationToken);
        }

        return TypedResults.File(buffer.ToArray(), ContentType, fileName);
    }
}
