namespace Cema.Torch.Modules;

/// <summary>What <see cref="Module.load_state_dict"/> could not match (PyTorch's <c>_IncompatibleKeys</c>).</summary>
public sealed record IncompatibleKeys(IReadOnlyList<string> missing_keys, IReadOnlyList<string> unexpected_keys);
