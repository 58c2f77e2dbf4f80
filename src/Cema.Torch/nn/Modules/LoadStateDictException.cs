namespace Cema.Torch.Modules;

/// <summary>A state-dict entry whose shape differs from the module's tensor of the same name.</summary>
public sealed record SizeMismatch(string Key, long[] CheckpointShape, long[] ModelShape)
{
    public override string ToString() =>
        $"size mismatch for {Key}: copying a param with shape [{string.Join(", ", CheckpointShape)}] from checkpoint, " +
        $"the shape in current model is [{string.Join(", ", ModelShape)}].";
}

/// <summary>
/// <see cref="Module.load_state_dict"/> refused a state dict. The message lists every problem, in
/// PyTorch's wording, so one failed load tells the whole story.
/// </summary>
public sealed class LoadStateDictException : Exception
{
    public LoadStateDictException(string moduleName, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys, IReadOnlyList<SizeMismatch> sizeMismatches)
        : base(Describe(moduleName, missingKeys, unexpectedKeys, sizeMismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        SizeMismatches = sizeMismatches;
    }

    public IReadOnlyList<string> MissingKeys { get; }
    public IReadOnlyList<string> UnexpectedKeys { get; }
    public IReadOnlyList<SizeMismatch> SizeMismatches { get; }

    private static string Describe(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<SizeMismatch> mismatches)
    {
        var lines = new List<string> { $"Error(s) in loading state_dict for {moduleName}:" };
        if (missing.Count > 0) lines.Add($"\tMissing key(s) in state_dict: {Quote(missing)}.");
        if (unexpected.Count > 0) lines.Add($"\tUnexpected key(s) in state_dict: {Quote(unexpected)}.");
        lines.AddRange(mismatches.Select(m => "\t" + m));
        return string.Join("\n", lines);
    }

    private static string Quote(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"\"{k}\""));
}
