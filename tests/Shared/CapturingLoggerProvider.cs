using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PreferenceCenter.Testing;

/// <summary>
/// Keeps what is logged at <paramref name="minimumLevel"/> or above, in every category, as any log sink (console JSON,
/// OTLP) would receive it: the formatted message, each structured property, every scope's values and the exception.
/// The privacy tests search all of it; the fuzz test counts the errors.
/// </summary>
public sealed class CapturingLoggerProvider(LogLevel minimumLevel = LogLevel.Trace) : ILoggerProvider, ISupportExternalScope
{
    private readonly LogLevel _minimumLevel = minimumLevel;
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    /// <summary>Each entry as one line of text, for searching.</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.ToString())];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static string Describe(object? value) => value switch
    {
        null => string.Empty,
        IEnumerable<KeyValuePair<string, object?>> pairs => string.Join(" ", pairs.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private sealed class Logger(string category, CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= owner._minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) => list.Add(Describe(scope)), scopes);
            owner._entries.Enqueue(new CapturedLog(logLevel, category, eventId, formatter(state, exception), Describe(state), string.Join(" / ", scopes), exception));
        }
    }
}

/// <summary>One captured log entry; as text, everything a sink would write.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, EventId EventId, string Message, string Properties, string Scopes, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId}]: {Message} | {Properties} | scopes: {Scopes} | {Exception}";
}
