namespace PreferenceCenter.Domain.Phones;

public static class PhoneNumberMessages
{
    /// <summary>Plain-language message for each refusal, shown next to the field.</summary>
    public static string For(PhoneNumberError error) => error switch
    {
        PhoneNumberError.Empty => "Enter your mobile phone number.",
        PhoneNumberError.ContainsLetters => "A phone number can only contain digits, spaces, dashes, dots, brackets and a leading +.",
        PhoneNumberError.HasExtension => "Enter a mobile number without an extension: texts cannot be sent to extensions.",
        PhoneNumberError.TooShort => "That number is too short. Check it and include the area or mobile prefix.",
        PhoneNumberError.TooLong => "That number is too long. Check for extra digits.",
        PhoneNumberError.UnknownCountry => "That country calling code does not exist. Check the digits after + or 00.",
        PhoneNumberError.InvalidForRegion => "That is not a valid phone number for the selected country.",
        PhoneNumberError.CannotReceiveSms => "That looks like a landline or service number that cannot receive texts. Enter a mobile number.",
        _ => "That phone number cannot be used.",
    };
}
