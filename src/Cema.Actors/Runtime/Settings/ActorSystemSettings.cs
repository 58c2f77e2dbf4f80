using Cema.Actors.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cema.Actors.Runtime;

/// <summary>
/// Everything an <see cref="ActorSystem"/> needs, as a plain record: build it in code, or read the
/// <c>cema.runtime</c> section of the HOCON configuration with <see cref="FromConfig"/>.
/// </summary>
public sealed record ActorSystemSettings
{
    public const string ConfigPath = "cema.runtime";

    public static ActorSystemSettings Default { get; } = new();

    /// <summary>The mailbox of every actor whose Props do not name one.</summary>
    public MailboxSettings Mailbox { get; init; } = MailboxSettings.Default;

    public DispatcherSettings Dispatcher { get; init; } = DispatcherSettings.Default;

    /// <summary>Limits and back-off of the default supervisor strategy.</summary>
    public SupervisionSettings Supervision { get; init; } = SupervisionSettings.Default;

    /// <summary>Ask timeout when the caller gives none.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long Terminate waits for actors to stop before it reports the stragglers and returns.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The clock of timers and restart back-off; tests may substitute their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reads the <c>cema.runtime</c> section (see hocon/reference.conf for every key).</summary>
    public static ActorSystemSettings FromConfig(Config config, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetConfig(ConfigPath);
        return section.Checked(() => new ActorSystemSettings
        {
            Mailbox = MailboxSettings.FromConfig(section.GetConfig("mailbox")),
            Dispatcher = new DispatcherSettings(section.GetInt("throughput")),
            Supervision = SupervisionSettings.FromConfig(section.GetConfig("supervision")),
            AskTimeout = section.GetDuration("ask-timeout"),
            ShutdownTimeout = section.GetDuration("shutdown-timeout"),
            LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
        });
    }
}
