namespace Cema.Models.Data;

/// <summary>
/// A procedural stand-in for ImageNet-C's frost photographs: a dim, cloudy plasma-fractal haze
/// (the frosted film on glass) with a few bright dendritic ice crystals on top: straight spines
/// with side branches at ±60°, the hexagonal habit of ice. Drawn at 28×28 so the crystal scale
/// (a few pixels) matches what a 224×224 crop of a frost photo looks like shrunk eightfold.
/// </summary>
internal static class FrostTexture
{
    private const double HazeBase = 0.12;
    private const double HazeRange = 0.3;
    private const double BranchAngle = Math.PI / 3;

    public static float[] Draw(SeededRandom random)
    {
        const int size = ImageOps.Size;
        double[,] haze = ImageOps.PlasmaFractal(32, 1.8, random);
        var crystals = new double[size * size];
        int count = random.NextInt(5, 8);
        for (int c = 0; c < count; c++)
        {
            double y = random.NextDouble(0, size), x = random.NextDouble(0, size);
            double angle = random.NextDouble(0, 2 * Math.PI);
            double length = random.NextDouble(6, 14);
            double brightness = random.NextDouble(0.5, 0.9);
            DrawBranch(crystals, y, x, angle, length, brightness, depth: 0, random);
        }
        var texture = new float[size * size];
        for (int yy = 0; yy < size; yy++)
            for (int xx = 0; xx < size; xx++)
            {
                int i = yy * size + xx;
                texture[i] = ImageOps.Clip01(HazeBase + HazeRange * haze[yy, xx] + crystals[i]);
            }
        float[] soft = ImageOps.GaussianBlur(texture, 0.5);
        for (int i = 0; i < soft.Length; i++) soft[i] = ImageOps.Clip01(soft[i]);
        return soft;
    }

    /// <summary>A spine from (y, x) along <paramref name="angle"/>, with shorter side branches every 2.5 px.</summary>
    private static void DrawBranch(double[] canvas, double y, double x, double angle, double length, double brightness, int depth, SeededRandom random)
    {
        (double sin, double cos) = PortableMath.SinCos(angle);
        const double step = 0.5;
        for (double t = 0; t <= length; t += step)
        {
            Splat(canvas, y + t * sin, x + t * cos, brightness);
            bool branchPoint = depth < 2 && t > 0 && Math.Abs(t % 2.5) < step / 2;
            if (branchPoint)
            {
                double remaining = (length - t) * random.NextDouble(0.35, 0.6);
                DrawBranch(canvas, y + t * sin, x + t * cos, angle + BranchAngle, remaining, brightness * 0.8, depth + 1, random);
                DrawBranch(canvas, y + t * sin, x + t * cos, angle - BranchAngle, remaining, brightness * 0.8, depth + 1, random);
            }
        }
    }

    /// <summary>Deposits a point bilinearly on its four neighbours, keeping the brighter of old and new.</summary>
    private static void Splat(double[] canvas, double y, double x, double brightness)
    {
        const int size = ImageOps.Size;
        double fy = Math.Floor(y), fx = Math.Floor(x);
        double wy = y - fy, wx = x - fx;
        for (int dy = 0; dy <= 1; dy++)
            for (int dx = 0; dx <= 1; dx++)
            {
                int py = (int)fy + dy, px = (int)fx + dx;
                if (py < 0 || py >= size || px < 0 || px >= size) continue;
                double weight = (dy == 0 ? 1 - wy : wy) * (dx == 0 ? 1 - wx : wx);
                int i = py * size + px;
                canvas[i] = Math.Max(canvas[i], brightness * weight);
            }
    }
}
