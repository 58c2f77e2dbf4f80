using Cema.Torch.Modules;

namespace Cema.Models.Adaptation.Methods;

/// <summary>
/// What <see cref="AdaptationMethods.Create"/> needs to build one session of a method.
/// </summary>
/// <param name="NewEdge">Builds a new edge network holding the source weights (called for the device model and for the cloud's replica).</param>
/// <param name="NewFoundation">Builds a new foundation network holding its source weights.</param>
/// <param name="Settings">Every method knob.</param>
/// <param name="ReplaySeed">Seeds the replay draws (CEMA, upload-all, random).</param>
/// <param name="RandomUploadSeed">Seeds the random method's upload coin flips.</param>
/// <param name="Session">0 for the first session, +1 at each per-domain reset: seeds a separate random stream per session.</param>
/// <param name="RandomUploadRate">The random method's upload probability per sample, in [0, 1]; required by "random" only.</param>
public sealed record MethodContext(
    Func<Module> NewEdge,
    Func<Module> NewFoundation,
    MethodSettings Settings,
    ulong ReplaySeed,
    ulong RandomUploadSeed,
    int Session = 0,
    double? RandomUploadRate = null);
