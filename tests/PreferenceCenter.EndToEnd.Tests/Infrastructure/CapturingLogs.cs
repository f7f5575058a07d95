using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Keeps everything every category logs, at every level: the formatted message, each structured property, every
/// scope's values and the exception, as any log sink (console JSON, OTLP) would receive them.
/// </summary>
public sealed class CapturingLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries;

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

    private sealed class Logger(string category, CapturingLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) => list.Add(Describe(scope)), scopes);
            owner._entries.Enqueue($"{logLevel} {category}[{eventId}]: {formatter(state, exception)} | {Describe(state)} | scopes: {string.Join(" / ", scopes)} | {exception}");
        }
    }
}
