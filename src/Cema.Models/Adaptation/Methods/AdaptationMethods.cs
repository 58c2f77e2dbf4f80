using Cema.Models.Data;
using Cema.Torch.Modules;

namespace Cema.Models.Adaptation.Methods;

/// <summary>The seven methods of the benchmark table, by name.</summary>
public static class AdaptationMethods
{
    /// <summary>No adaptation.</summary>
    public const string Source = "source";

    /// <summary>BN-adapt: test-time batch statistics on the edge, no cloud.</summary>
    public const string BnAdapt = "bn";

    /// <summary>Tent in the cloud: every sample uploaded, the replica minimizes mean entropy.</summary>
    public const string Tent = "tent";

    /// <summary>EATA in the cloud: reliable, non-redundant samples uploaded, weighted entropy.</summary>
    public const string Eata = "eata";

    /// <summary>CEMA's cloud with every sample uploaded.</summary>
    public const string UploadAll = "upload-all";

    /// <summary>CEMA's cloud with a uniform random subset uploaded at a given rate (CEMA's measured one).</summary>
    public const string Random = "random";

    /// <summary>CEMA: entropy-based selection, foundation model, distillation, replay.</summary>
    public const string Cema = "cema";

    /// <summary>All seven, in the order of the paper's tables.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { Source, BnAdapt, Tent, Eata, UploadAll, Random, Cema };

    /// <summary>Builds one session of method <paramref name="name"/>; the result owns the models it built.</summary>
    public static IAdaptationMethod Create(string name, MethodContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = (context.Settings ?? throw new ArgumentNullException(nameof(context), "MethodContext.Settings is null")).Validate();
        switch (name)
        {
            case Source:
                return new SourceMethod(context.NewEdge());
            case BnAdapt:
                return new BatchNormAdaptMethod(context.NewEdge());
            case Tent:
                return EdgeAndReplica(name, context, new UploadAll(), settings.Tent.Renormalization, replica => new EntropyLearner(replica, settings.Tent, e0Fraction: null));
            case Eata:
                return EdgeAndReplica(name, context, new UploadSelected(settings.EataSelector), settings.Eata.Renormalization,
                    replica => new EntropyLearner(replica, settings.Eata, settings.EataSelector.E0Fraction));
            case UploadAll:
                return Distillation(name, context, new UploadAll());
            case Random:
                double rate = context.RandomUploadRate
                    ?? throw new ArgumentException("the random method needs MethodContext.RandomUploadRate (CEMA's measured upload rate)", nameof(context));
                return Distillation(name, context, new UploadRandom(rate, SeededRandom.For(context.RandomUploadSeed, "random-upload", context.Session, 0)));
            case Cema:
                return Distillation(name, context, new UploadSelected(settings.Selector));
            default:
                throw new ArgumentException($"unknown adaptation method '{name}' (expected one of {string.Join(", ", Names)})", nameof(name));
        }
    }

    private static IAdaptationMethod EdgeAndReplica(string name, MethodContext context, IUploadPolicy policy, bool renormalize, Func<Module, ICloudLearner> learner)
    {
        Module? device = null, replica = null;
        try
        {
            device = context.NewEdge();
            replica = context.NewEdge();
            return new CloudEdgeMethod(name, device, replica, null, policy, renormalize, learner);
        }
        catch
        {
            device?.Dispose();
            replica?.Dispose();
            throw;
        }
    }

    private static IAdaptationMethod Distillation(string name, MethodContext context, IUploadPolicy policy)
    {
        Module? device = null, replica = null, foundation = null;
        try
        {
            device = context.NewEdge();
            replica = context.NewEdge();
            foundation = context.NewFoundation();
            var f = foundation;
            var random = SeededRandom.For(context.ReplaySeed, "replay", context.Session, 0);
            return new CloudEdgeMethod(name, device, replica, foundation, policy, context.Settings.Cloud.Renormalization,
                r => new DistillationLearner(f, r, context.Settings.Cloud, context.Settings.Replay, random));
        }
        catch
        {
            device?.Dispose();
            replica?.Dispose();
            foundation?.Dispose();
            throw;
        }
    }
}
