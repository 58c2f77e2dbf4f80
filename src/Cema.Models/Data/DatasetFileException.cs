namespace Cema.Models.Data;

/// <summary>
/// A dataset file is missing or fails one of the reader's checks. The message names the file, the
/// check and how to get good files, so a user can act on it without reading the code.
/// </summary>
public sealed class DatasetFileException : IOException
{
    public DatasetFileException(string path, string check, string detail, Exception? inner = null)
        : base($"{path}: {check} check failed: {detail}. The Fashion-MNIST files come from the Debian package "
               + $"dataset-fashion-mnist (apt-get install dataset-fashion-mnist), which puts them in {FashionMnist.DefaultDirectory}.", inner)
    {
        FilePath = path;
        Check = check;
    }

    public string FilePath { get; }

    /// <summary>Which check failed, e.g. "magic number", "payload length", "label range".</summary>
    public string Check { get; }
}
