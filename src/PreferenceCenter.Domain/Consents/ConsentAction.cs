namespace PreferenceCenter.Domain.Consents;

public enum ConsentAction
{
    Granted = 1,
    Revoked = 2,
}
