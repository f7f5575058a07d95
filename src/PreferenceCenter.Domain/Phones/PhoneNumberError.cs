namespace PreferenceCenter.Domain.Phones;

/// <summary>Why a typed phone number was refused. Each value maps to one message a person can act on.</summary>
public enum PhoneNumberError
{
    Empty,
    ContainsLetters,
    HasExtension,
    TooShort,
    TooLong,
    UnknownCountry,
    InvalidForRegion,
    CannotReceiveSms,
}
