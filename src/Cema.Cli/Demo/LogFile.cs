using Microsoft.Extensions.Logging;

namespace Cema.Cli.Demo;

/// <summary>
/// The demo's actor log: warnings and errors (dead letters, drops, restarts, undelivered publishes) go to
/// a file, one line each, so they are kept without tearing the live view; <see cref="Count"/> says how many.
/// </summary>
internal sealed class LogFile : ILoggerFactory
{
    private readonly StreamWriter writer;
    private readonly Lock gate = new();
    private int count;

    public LogFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer = new StreamWriter(path, append: false) { AutoFlush = true };
        FilePath = path;
    }

    public string FilePath { get; }

    public int Count => Volatile.Read(ref count);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
        lock (gate) writer.Dispose();
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        lock (gate)
        {
            count++;
            writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level} {category}: {message}{(exception is null ? "" : " | " + exception.Message)}");
        }
    }

    private sealed class Logger(LogFile file, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) file.Write(category, logLevel, formatter(state, exception), exception);
        }
    }
}
