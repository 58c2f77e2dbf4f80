using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cema.Actors.Tests.TestKit;

/// <summary>One log call as the runtime made it, with the template's named values.</summary>
public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Values);

/// <summary>
/// An ILoggerFactory that keeps every entry in memory, so tests can assert that something was
/// logged (dead letters, drops, restarts) and read its structured values.
/// </summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public IReadOnlyList<LogEntry> Where(Func<LogEntry, bool> predicate) => _entries.Where(predicate).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    values[key] = value;
                }
            }
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception, values));
        }
    }
}
