using System.Globalization;
using System.Net;
using System.Text;

namespace Cema.Cli.Demo;

/// <summary>
/// A line chart as inline SVG (no script, no external asset): labelled axes with round ticks, one
/// <c>polyline</c> per series (<c>data-series</c> names it, one point per value), optional vertical markers
/// (e.g. where the corruption changes) and a legend. The root carries <c>class="plot"</c> and
/// <c>data-plot</c> so tests and readers can find each plot.
/// </summary>
internal sealed class SvgChart(string id, string title, string xLabel, string yLabel, double? yMin = null, double? yMax = null, double? xMin = null)
{
    private const int Width = 760, Height = 280, Left = 62, Right = 16, Top = 34, Bottom = 46;
    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

    private sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed, bool Markers);

    private readonly List<Series> series = new();
    private readonly List<(double X, string Label)> markers = new();

    public void Line(string name, string color, IReadOnlyList<(double X, double Y)> points, bool dashed = false, bool markers = false) =>
        series.Add(new Series(name, color, points, dashed, markers));

    public void Marker(double x, string label) => markers.Add((x, label));

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    public string Render()
    {
        var all = series.SelectMany(s => s.Points).ToArray();
        double x0 = xMin ?? (all.Length == 0 ? 0 : all.Min(p => p.X)), x1 = all.Length == 0 ? 1 : all.Max(p => p.X);
        double y0 = yMin ?? (all.Length == 0 ? 0 : all.Min(p => p.Y)), y1 = yMax ?? (all.Length == 0 ? 1 : all.Max(p => p.Y));
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) y1 = y0 + 1;
        var yTicks = Ticks(y0, y1);
        if (yMin is null) y0 = Math.Min(y0, yTicks[0]);
        if (yMax is null) y1 = Math.Max(y1, yTicks[^1]);
        var xTicks = Ticks(x0, x1);
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double x) => Left + (x - x0) / (x1 - x0) * plotW;
        double Py(double y) => Top + (1 - (Math.Clamp(y, y0, y1) - y0) / (y1 - y0)) * plotH;

        var svg = new StringBuilder();
        svg.Append($"<svg class=\"plot\" data-plot=\"{E(id)}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\">\n");
        svg.Append($"<title>{E(title)}</title>\n");
        svg.Append($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>\n");
        svg.Append($"<text class=\"chart-title\" x=\"{Left}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{E(title)}</text>\n");
        foreach (double t in yTicks.Where(t => t >= y0 && t <= y1))
        {
            svg.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Py(t))}\" y2=\"{F(Py(t))}\" stroke=\"#e4e4e4\"/>");
            svg.Append($"<text x=\"{Left - 6}\" y=\"{F(Py(t) + 4)}\" font-size=\"11\" text-anchor=\"end\">{F(t)}</text>\n");
        }
        foreach (double t in xTicks.Where(t => t >= x0 && t <= x1))
        {
            svg.Append($"<line x1=\"{F(Px(t))}\" x2=\"{F(Px(t))}\" y1=\"{Top + plotH}\" y2=\"{Top + plotH + 4}\" stroke=\"#333\"/>");
            svg.Append($"<text x=\"{F(Px(t))}\" y=\"{F(Top + plotH + 16)}\" font-size=\"11\" text-anchor=\"middle\">{F(t)}</text>\n");
        }
        foreach (var (x, label) in markers)
        {
            svg.Append($"<line class=\"marker\" x1=\"{F(Px(x))}\" x2=\"{F(Px(x))}\" y1=\"{Top}\" y2=\"{Top + plotH}\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>");
            svg.Append($"<text x=\"{F(Px(x) + 3)}\" y=\"{Top + 10}\" font-size=\"9\" fill=\"#666\" transform=\"rotate(90 {F(Px(x) + 3)} {Top + 10})\">{E(label)}</text>\n");
        }
        svg.Append($"<line class=\"axis x\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotH}\" y2=\"{Top + plotH}\" stroke=\"#333\"/>\n");
        svg.Append($"<line class=\"axis y\" x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Top + plotH}\" stroke=\"#333\"/>\n");
        svg.Append($"<text class=\"axis-label x\" x=\"{F(Left + plotW / 2)}\" y=\"{Height - 8}\" font-size=\"12\" text-anchor=\"middle\">{E(xLabel)}</text>\n");
        svg.Append($"<text class=\"axis-label y\" x=\"14\" y=\"{F(Top + plotH / 2)}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 {F(Top + plotH / 2)})\">{E(yLabel)}</text>\n");

        foreach (var s in series)
        {
            string points = string.Join(" ", s.Points.Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}"));
            string dash = s.Dashed ? " stroke-dasharray=\"6,4\"" : "";
            svg.Append($"<polyline data-series=\"{E(s.Name)}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.8\"{dash} points=\"{points}\"/>\n");
            if (s.Markers)
                foreach (var p in s.Points) svg.Append($"<circle cx=\"{F(Px(p.X))}\" cy=\"{F(Py(p.Y))}\" r=\"2.2\" fill=\"{s.Color}\"/>");
        }
        // Legend, top right, one entry per series.
        double lx = Width - Right - 8;
        for (int i = series.Count - 1; i >= 0; i--)
        {
            var s = series[i];
            double w = 26 + 6.5 * s.Name.Length;
            lx -= w;
            string dash = s.Dashed ? " stroke-dasharray=\"6,4\"" : "";
            svg.Append($"<g class=\"legend\"><line x1=\"{F(lx)}\" x2=\"{F(lx + 18)}\" y1=\"16\" y2=\"16\" stroke=\"{s.Color}\" stroke-width=\"2\"{dash}/>");
            svg.Append($"<text x=\"{F(lx + 22)}\" y=\"20\" font-size=\"11\">{E(s.Name)}</text></g>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>About five round ticks (1, 2 or 5 × 10^k apart) covering [lo, hi].</summary>
    internal static double[] Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        double first = Math.Floor(lo / step) * step, last = Math.Ceiling(hi / step) * step;
        var ticks = new List<double>();
        for (double t = first; t <= last + step / 2; t += step) ticks.Add(Math.Round(t, 10));
        return ticks.ToArray();
    }
}
