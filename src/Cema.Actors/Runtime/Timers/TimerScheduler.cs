namespace Cema.Actors.Runtime;

/// <summary>
/// An actor's timers on the system's <see cref="TimeProvider"/>. A tick is sent with TellAsync
/// from the timer thread, so a full back-pressure mailbox delays the tick instead of blocking a
/// pool thread; while one tick of a periodic timer is still waiting for room, further ticks of it
/// are skipped (coalesced) rather than piled up. Ticks are wrapped so the actor can tell a live
/// timer's message from a cancelled one's.
/// </summary>
internal sealed class TimerScheduler : ITimerScheduler
{
    private readonly ActorCell _cell;
    private readonly Dictionary<object, TimerEntry> _timers = [];

    public TimerScheduler(ActorCell cell) => _cell = cell;

    public void StartSingleTimer(object key, object message, TimeSpan delay) =>
        Start(key, message, delay, Timeout.InfiniteTimeSpan, periodic: false);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) =>
        StartPeriodicTimer(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A periodic timer needs a positive interval.");
        }
        Start(key, message, initialDelay, interval, periodic: true);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Cancel();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Cancel();
        }
        _timers.Clear();
    }

    /// <summary>On the actor's turn: unwraps a tick if its timer is still the live one for its key.</summary>
    internal bool TryAccept(TimerMessage tick, out object message)
    {
        var entry = tick.Entry;
        if (_timers.TryGetValue(entry.Key, out var live) && ReferenceEquals(live, entry))
        {
            if (!entry.Periodic)
            {
                _timers.Remove(entry.Key);
                entry.Cancel();
            }
            message = entry.Message;
            return true;
        }
        message = null!;
        return false;
    }

    private void Start(object key, object message, TimeSpan dueTime, TimeSpan period, bool periodic)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A timer delay cannot be negative.");
        }
        Cancel(key);
        var entry = new TimerEntry(key, message, periodic, _cell.SelfRef);
        _timers[key] = entry;
        entry.Arm(_cell.System.TimeProvider, dueTime, period);
    }

    internal sealed class TimerEntry(object key, object message, bool periodic, IActorRef self)
    {
        private ITimer? _handle;
        private volatile bool _cancelled;
        private int _sending;

        public object Key { get; } = key;

        public object Message { get; } = message;

        public bool Periodic { get; } = periodic;

        public void Arm(TimeProvider clock, TimeSpan dueTime, TimeSpan period)
        {
            var handle = clock.CreateTimer(static state => ((TimerEntry)state!).Fire(), this, dueTime, period);
            _handle = handle;
            if (_cancelled)
            {
                handle.Dispose();
            }
        }

        public void Cancel()
        {
            _cancelled = true;
            _handle?.Dispose();
        }

        private void Fire()
        {
            if (_cancelled || Interlocked.Exchange(ref _sending, 1) == 1)
            {
                return;
            }
            ValueTask send;
            try
            {
                send = self.TellAsync(new TimerMessage(this));
            }
            catch
            {
                Volatile.Write(ref _sending, 0);
                throw;
            }
            if (send.IsCompleted)
            {
                Volatile.Write(ref _sending, 0);
                return;
            }
            _ = CompleteSendAsync(send);
        }

        private async Task CompleteSendAsync(ValueTask send)
        {
            try
            {
                await send.ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _sending, 0);
            }
        }
    }

    /// <summary>A tick as it travels through the mailbox.</summary>
    internal sealed record TimerMessage(TimerEntry Entry);
}
