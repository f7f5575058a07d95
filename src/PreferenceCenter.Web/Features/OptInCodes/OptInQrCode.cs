using QRCoder;

namespace PreferenceCenter.Web.Features.OptInCodes;

/// <summary>QR codes of an <c>sms:</c> link, drawn by QRCoder in managed code (no System.Drawing).</summary>
public static class OptInQrCode
{
    // Medium error correction survives a scuffed or creased poster; 24 px a module prints sharply at A5 and larger.
    private const QRCodeGenerator.ECCLevel Correction = QRCodeGenerator.ECCLevel.M;
    private const int PixelsPerModule = 24;

    public static byte[] Png(string payload)
    {
        using var data = Encode(payload);
        return new PngByteQRCode(data).GetGraphic(PixelsPerModule);
    }

    public static string Svg(string payload)
    {
        using var data = Encode(payload);
        return new SvgQRCode(data).GetGraphic(PixelsPerModule);
    }

    private static QRCodeData Encode(string payload)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(payload, Correction);
    }
}
