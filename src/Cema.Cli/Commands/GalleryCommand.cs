using System.CommandLine;
using Cema.Models.Data;

namespace Cema.Cli.Commands;

/// <summary>
/// <c>cema gallery</c>: one Fashion-MNIST test image under all 19 corruptions at severities 1–5, as a
/// PNG, so a person can check that every corruption looks like itself and worsens with severity.
/// </summary>
internal static class GalleryCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Directory with the Fashion-MNIST .gz files (from apt-get install dataset-fashion-mnist).",
            DefaultValueFactory = _ => FashionMnist.DefaultDirectory,
        };
        var output = new Option<string>("--out")
        {
            Description = "PNG file to write.",
            DefaultValueFactory = _ => Path.Combine("out", "gallery.png"),
        };
        var image = new Option<int>("--image")
        {
            Description = "Index of the test image to corrupt (0–9999).",
            DefaultValueFactory = _ => 0,
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the corruptions' random numbers.",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("gallery", "Write a PNG of one test image under every corruption and severity.") { data, output, image, seed };
        command.SetAction(parseResult =>
        {
            string directory = parseResult.GetValue(data)!;
            string path = parseResult.GetValue(output)!;
            int index = parseResult.GetValue(image);
            ulong seedValue = parseResult.GetValue(seed);
            Dataset test;
            try
            {
                test = FashionMnist.LoadTest(directory);
            }
            catch (DatasetFileException e)
            {
                Console.Error.WriteLine($"cema gallery: {e.Message}");
                return 1;
            }
            if (index < 0 || index >= test.Count)
            {
                Console.Error.WriteLine($"cema gallery: --image {index} is outside the test set (0–{test.Count - 1})");
                return 1;
            }
            Gallery.Sheet sheet = Gallery.Write(path, test.Image(index), seedValue, index);
            Console.WriteLine($"image    {index} ({test.ClassNames[test.Labels[index]]})");
            Console.WriteLine($"seed     {seedValue}");
            Console.WriteLine($"columns  clean, severity 1–{Corruption.MaxSeverity}");
            for (int row = 0; row < sheet.Rows.Count; row++)
            {
                string kind = Corruption.Get(sheet.Rows[row]).IsValidation ? "validation" : "test";
                Console.WriteLine($"row {row + 1,2}   {sheet.Rows[row]} ({kind})");
            }
            Console.WriteLine($"wrote    {Path.GetFullPath(path)} ({sheet.Width}×{sheet.Height})");
            return 0;
        });
        return command;
    }
}
