namespace PreferenceCenter.Infrastructure.Persistence;

/// <summary>Thrown when code tries to change or remove a row of an append-only table.</summary>
public sealed class AppendOnlyViolationException : InvalidOperationException
{
    public AppendOnlyViolationException()
    {
    }

    public AppendOnlyViolationException(string message)
        : base(message)
    {
    }

    public AppendOnlyViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
