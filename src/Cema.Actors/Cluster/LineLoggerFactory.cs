using Microsoft.Extensions.Logging;

namespace Cema.Actors.Cluster;

/// <summary>
/// Log lines ("HH:mm:ss.fff LEVEL category: message") on a writer, from <see cref="MinimumLevel"/> up: what the
/// cluster hosts give the actor system and the transport. No logging provider package restores here, and a
/// host needs no more than this.
/// </summary>
public sealed class LineLoggerFactory(TextWriter writer, LogLevel minimumLevel = LogLevel.Information) : ILoggerFactory
{
    public LogLevel MinimumLevel { get; } = minimumLevel;

    private TextWriter Writer { get; } = writer;

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("LineLoggerFactory writes its lines itself");

    public void Dispose()
    {
    }

    private sealed class LineLogger(LineLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string line = $"{DateTime.Now:HH:mm:ss.fff} {Level(logLevel)} {category}: {formatter(state, exception)}";
            if (exception is not null) line += $" ({exception.GetType().Name}: {exception.Message})";
            lock (owner.Writer) owner.Writer.WriteLine(line);
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "error",
            _ => "fatal",
        };
    }
}
