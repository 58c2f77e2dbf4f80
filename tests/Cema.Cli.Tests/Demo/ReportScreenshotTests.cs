using System.Diagnostics;

namespace Cema.Cli.Tests.Demo;

/// <summary>A fact that runs only where Chromium is installed (./test installs it; a bare machine may not have it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (ReportScreenshotTests.Chromium is null) Skip = "chromium is not installed (apt-get install chromium; ./test installs it): the report cannot be rendered";
    }
}

/// <summary>
/// Issue #5: the report opens in a browser and shows the plots. Headless Chromium renders report.html of the
/// tiny demo run to a PNG; the picture must not be blank and must carry the plot colours.
/// </summary>
[Collection(TinyDemoCollection.Name)]
public sealed class ReportScreenshotTests(TinyDemoRun run)
{
    internal static string? Chromium { get; } =
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    [ChromiumFact]
    public void Headless_chromium_renders_the_report_with_its_plots()
    {
        run.AssertSucceeded();
        string png = Path.Combine(run.Directory, "report.png");
        var psi = new ProcessStartInfo(Chromium!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1600,2200", $"--screenshot={png}", "file://" + run.ReportPath })
            psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi)!)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(120_000), "chromium did not finish within 2 minutes");
            Assert.True(p.ExitCode == 0 && File.Exists(png), $"chromium exited {p.ExitCode}: {stderr.Result}");
        }

        var image = PngImage.Decode(File.ReadAllBytes(png));
        Assert.Equal((1600, 2200), (image.Width, image.Height));
        long pixels = (long)image.Width * image.Height, ink = 0, blue = 0, red = 0;
        double sum = 0, squares = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image.Pixel(x, y);
                double grey = (r + g + b) / 3.0;
                sum += grey;
                squares += grey * grey;
                if (grey < 200) ink++;
                if (Near((r, g, b), (0x1f, 0x77, 0xb4))) blue++; // CEMA's line and edge-0
                if (Near((r, g, b), (0xd6, 0x27, 0x28))) red++;  // Source's line and edge-1
            }
        }
        double mean = sum / pixels, variance = squares / pixels - mean * mean;
        Assert.True(variance > 200, $"the page looks blank: grey variance {variance:F1}");
        Assert.True(ink > pixels / 200, $"too little drawn: {ink} dark pixels of {pixels}");
        Assert.True(blue > 500 && red > 500, $"plot lines missing: {blue} blue and {red} red pixels");
    }

    private static bool Near((byte R, byte G, byte B) p, (int R, int G, int B) c) =>
        Math.Abs(p.R - c.R) < 24 && Math.Abs(p.G - c.G) < 24 && Math.Abs(p.B - c.B) < 24;
}
