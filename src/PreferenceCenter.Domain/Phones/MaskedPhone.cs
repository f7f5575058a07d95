namespace PreferenceCenter.Domain.Phones;

/// <summary>A phone number as logs may show it: masking happens only if the log line is written.</summary>
public readonly record struct MaskedPhone(string? Value)
{
    public override string ToString() => PhoneNumber.Mask(Value);
}
