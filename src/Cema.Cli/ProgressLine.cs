namespace Cema.Cli;

/// <summary>
/// A status line that redraws itself in place on a terminal (carriage return, at most 5 times a
/// second) and, when output goes to a file or pipe, prints a plain line at most every
/// <c>plainInterval</c> so logs stay short.
/// </summary>
internal sealed class ProgressLine(TextWriter writer, bool interactive, TimeSpan plainInterval)
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);
    private DateTime lastDraw = DateTime.MinValue;
    private int drawnLength;

    public static ProgressLine ForConsole(TimeSpan plainInterval) => new(Console.Out, !Console.IsOutputRedirected, plainInterval);

    public bool Interactive => interactive;

    /// <summary>Shows <paramref name="text"/> unless the last update was too recent (<paramref name="force"/> overrides).</summary>
    public void Update(string text, bool force = false)
    {
        var now = DateTime.UtcNow;
        if (!force && now - lastDraw < (interactive ? RedrawInterval : plainInterval)) return;
        lastDraw = now;
        if (interactive)
        {
            writer.Write('\r' + text.PadRight(drawnLength));
            drawnLength = text.Length;
        }
        else
        {
            writer.WriteLine(text);
        }
        writer.Flush();
    }

    /// <summary>Replaces the status line with a permanent line.</summary>
    public void WriteLine(string text)
    {
        if (interactive && drawnLength > 0)
        {
            writer.Write('\r' + new string(' ', drawnLength) + '\r');
            drawnLength = 0;
        }
        writer.WriteLine(text);
        writer.Flush();
        lastDraw = DateTime.UtcNow;
    }

    /// <summary>A bar of <paramref name="width"/> cells, <paramref name="fraction"/> of them filled.</summary>
    public static string Bar(double fraction, int width = 20)
    {
        int filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:00}s" : $"{t.Seconds}s";
}
