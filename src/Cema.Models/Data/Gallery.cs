namespace Cema.Models.Data;

/// <summary>
/// A contact sheet of one image under every corruption: one row per corruption (the 15 test ones,
/// then the 4 validation ones), columns clean then severities 1–5, each tile enlarged by
/// nearest-neighbour so single pixels stay visible, separated by mid-gray gaps that cannot be
/// confused with Fashion-MNIST's black background.
/// </summary>
public static class Gallery
{
    public const int Scale = 3;
    public const int Gap = 4;
    public const byte GapShade = 128;
    public const int Columns = 1 + Corruption.MaxSeverity;

    public sealed record Sheet(int Width, int Height, byte[] Pixels, IReadOnlyList<string> Rows);

    public static Sheet Build(ReadOnlySpan<byte> image, ulong seed, int imageIndex)
    {
        IReadOnlyList<Corruption> rows = Corruption.All;
        const int tile = ImageOps.Size * Scale;
        int width = Gap + Columns * (tile + Gap);
        int height = Gap + rows.Count * (tile + Gap);
        var pixels = new byte[width * height];
        Array.Fill(pixels, GapShade);
        for (int row = 0; row < rows.Count; row++)
        {
            for (int column = 0; column < Columns; column++)
            {
                ReadOnlySpan<byte> shown = column == 0 ? image : rows[row].Apply(image, column, seed, imageIndex);
                Blit(pixels, width, Gap + column * (tile + Gap), Gap + row * (tile + Gap), shown);
            }
        }
        return new Sheet(width, height, pixels, rows.Select(c => c.Name).ToArray());
    }

    /// <summary>Builds the sheet and writes it as a grayscale PNG.</summary>
    public static Sheet Write(string path, ReadOnlySpan<byte> image, ulong seed, int imageIndex)
    {
        Sheet sheet = Build(image, seed, imageIndex);
        PngWriter.WriteGrayscale(path, sheet.Width, sheet.Height, sheet.Pixels);
        return sheet;
    }

    private static void Blit(byte[] sheet, int sheetWidth, int left, int top, ReadOnlySpan<byte> image)
    {
        const int size = ImageOps.Size;
        for (int y = 0; y < size * Scale; y++)
            for (int x = 0; x < size * Scale; x++)
                sheet[(top + y) * sheetWidth + left + x] = image[y / Scale * size + x / Scale];
    }
}
