using Cema.Models.Networks;
using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Evaluation;

/// <summary>
/// The edge and foundation networks a simulation starts from, as factories of fresh copies: every
/// method session gets its own device model, edge replica and foundation model, so no run changes the
/// caller's modules and a per-domain reset starts from exactly the source weights.
/// </summary>
public sealed class SimulationModels : IDisposable
{
    private readonly Func<Module> newEdge;
    private readonly Func<Module> newFoundation;
    private readonly List<Tensor> owned;

    /// <param name="newEdge">Returns a new edge network holding the source weights, on every call.</param>
    /// <param name="newFoundation">Returns a new foundation network holding its source weights, on every call.</param>
    /// <param name="edgeName">Recorded in results (e.g. the spec name).</param>
    /// <param name="foundationName">Recorded in results.</param>
    public SimulationModels(Func<Module> newEdge, Func<Module> newFoundation, string edgeName, string foundationName)
        : this(newEdge, newFoundation, edgeName, foundationName, new List<Tensor>())
    {
    }

    private SimulationModels(Func<Module> newEdge, Func<Module> newFoundation, string edgeName, string foundationName, List<Tensor> owned)
    {
        this.newEdge = newEdge ?? throw new ArgumentNullException(nameof(newEdge));
        this.newFoundation = newFoundation ?? throw new ArgumentNullException(nameof(newFoundation));
        EdgeName = edgeName ?? throw new ArgumentNullException(nameof(edgeName));
        FoundationName = foundationName ?? throw new ArgumentNullException(nameof(foundationName));
        this.owned = owned;
    }

    /// <summary>
    /// Copies of <paramref name="edge"/> and <paramref name="foundation"/> as they are now (weights and
    /// buffers): each factory call builds a new <see cref="ResNet"/> of the same spec and loads that
    /// snapshot. The given modules are not touched again; they stay the caller's.
    /// </summary>
    public static SimulationModels FromResNets(ResNet edge, ResNet foundation)
    {
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentNullException.ThrowIfNull(foundation);
        var owned = new List<Tensor>();
        var edgeState = Snapshot(edge, owned);
        var foundationState = Snapshot(foundation, owned);
        ResNetSpec edgeSpec = edge.Spec, foundationSpec = foundation.Spec;
        return new SimulationModels(() => Build(edgeSpec, edgeState), () => Build(foundationSpec, foundationState), edgeSpec.Name, foundationSpec.Name, owned);
    }

    public string EdgeName { get; }
    public string FoundationName { get; }

    /// <summary>A new edge network with the source weights; the caller owns it.</summary>
    public Module NewEdge() => newEdge();

    /// <summary>A new foundation network with its source weights; the caller owns it.</summary>
    public Module NewFoundation() => newFoundation();

    private static Dictionary<string, Tensor> Snapshot(Module module, List<Tensor> owned)
    {
        using var scope = torch.NewDisposeScope();
        var state = new Dictionary<string, Tensor>();
        foreach (var (key, value) in module.state_dict())
        {
            var copy = value.clone().DetachFromDisposeScope();
            owned.Add(copy);
            state[key] = copy;
        }
        return state;
    }

    private static ResNet Build(ResNetSpec spec, IReadOnlyDictionary<string, Tensor> state)
    {
        var model = new ResNet(spec);
        try
        {
            model.load_state_dict(state);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var t in owned) t.Dispose();
        owned.Clear();
    }
}
