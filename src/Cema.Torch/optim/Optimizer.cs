using System.Globalization;
using Cema.Torch.Modules;

namespace Cema.Torch.Optim;

/// <summary>
/// Base of the optimizers, shaped like PyTorch's <c>torch.optim.Optimizer</c> with one parameter group.
/// The optimizer updates the parameters it was given (it does not own them) and owns its
/// per-parameter state tensors (momentum buffers, moment estimates), which <see cref="Dispose"/> releases.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Tensor[] parameters_;
    // State per parameter, by the parameter's position; created lazily at its first step, as in PyTorch.
    private readonly Dictionary<string, Tensor>[] state;
    private bool disposed;

    protected Optimizer(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters_ = parameters.ToArray();
        if (parameters_.Length == 0) throw new ArgumentException("optimizer got an empty parameter list", nameof(parameters));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in parameters_)
        {
            if (!seen.Add(p)) throw new ArgumentException("a parameter appears more than once in the optimizer's parameter list", nameof(parameters));
            if (!p.is_leaf) throw new ArgumentException("can't optimize a non-leaf Tensor", nameof(parameters));
        }
        state = new Dictionary<string, Tensor>[parameters_.Length];
        for (int i = 0; i < state.Length; i++) state[i] = new Dictionary<string, Tensor>();
    }

    /// <summary>The parameters this optimizer updates, in the order that numbers their state ("3.exp_avg" is the fourth's).</summary>
    public IReadOnlyList<Tensor> parameters => parameters_;

    /// <summary>Drops the gradients of this optimizer's parameters (set_to_none) or fills them with zeros.</summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in parameters_) Module.ClearGrad(p, set_to_none);
    }

    /// <summary>One update of every parameter that has a gradient; parameters without one are left as they are.</summary>
    public void step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = torch.no_grad();
        // Gradient handles and temporaries of the update die here; state kept across steps is taken out by SetState.
        using var scope = torch.NewDisposeScope();
        for (int i = 0; i < parameters_.Length; i++)
        {
            var grad = parameters_[i].grad;
            if (grad is null) continue;
            Update(i, parameters_[i], grad);
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient; runs under no_grad inside a dispose scope.</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor grad);

    /// <summary>The names of the state tensors this optimizer keeps per parameter (e.g. "momentum_buffer").</summary>
    protected abstract IReadOnlyCollection<string> StateNames { get; }

    /// <summary>Checks a parameter's complete loaded state (all its names) before it replaces the current one; throws ArgumentException.</summary>
    protected virtual void ValidateState(int index, Tensor parameter, IReadOnlyDictionary<string, Tensor> parameterState) { }

    protected Tensor? GetState(int index, string name) => state[index].TryGetValue(name, out var t) ? t : null;

    /// <summary>Keeps <paramref name="value"/> as state of parameter <paramref name="index"/>: the optimizer now owns it.</summary>
    protected Tensor SetState(int index, string name, Tensor value)
    {
        value.DetachFromDisposeScope();
        if (state[index].TryGetValue(name, out var old) && !ReferenceEquals(old, value)) old.Dispose();
        state[index][name] = value;
        return value;
    }

    // ---- state dict -----------------------------------------------------------------------------

    /// <summary>
    /// The state as "{parameter index}.{name}" → tensor, e.g. "0.momentum_buffer", "3.exp_avg",
    /// "3.step". Values are new handles sharing storage with the optimizer's state (as PyTorch
    /// returns references): the caller owns the handles, the optimizer the storage. Hyperparameters
    /// are properties, not part of this dictionary.
    /// </summary>
    public Dictionary<string, Tensor> state_dict()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var result = new Dictionary<string, Tensor>();
        for (int i = 0; i < state.Length; i++)
        {
            foreach (var (name, t) in state[i]) result[Key(i, name)] = t.detach();
        }
        return result;
    }

    /// <summary>
    /// Replaces the whole state with copies of <paramref name="state_dict"/>'s tensors (floating ones
    /// cast to their parameter's dtype, "step" kept as is, as PyTorch does). Everything is checked
    /// before anything changes: an unknown key, a parameter index out of range, a shape that does
    /// not match the parameter or an incomplete parameter state throws and leaves the state as it was.
    /// </summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state_dict)
    {
        ArgumentNullException.ThrowIfNull(state_dict);
        ObjectDisposedException.ThrowIf(disposed, this);
        var loaded = new Dictionary<string, Tensor>[parameters_.Length];
        for (int i = 0; i < loaded.Length; i++) loaded[i] = new Dictionary<string, Tensor>();
        foreach (var (key, value) in state_dict)
        {
            var (index, name) = ParseKey(key);
            loaded[index][name] = value;
        }
        for (int i = 0; i < loaded.Length; i++)
        {
            if (loaded[i].Count > 0) ValidateState(i, parameters_[i], loaded[i]);
        }

        var copies = new Dictionary<string, Tensor>[loaded.Length];
        using (torch.no_grad())
        {
            for (int i = 0; i < loaded.Length; i++)
            {
                copies[i] = new Dictionary<string, Tensor>();
                var p = parameters_[i];
                foreach (var (name, value) in loaded[i])
                {
                    // clone, so that the optimizer never shares storage with the caller's tensors.
                    Tensor copy;
                    if (name != "step" && p.is_floating_point() && value.dtype != p.dtype) copy = value.to(p.dtype);
                    else copy = value.clone();
                    copies[i][name] = copy.DetachFromDisposeScope();
                }
            }
        }
        for (int i = 0; i < state.Length; i++)
        {
            foreach (var t in state[i].Values) t.Dispose();
            state[i] = copies[i];
        }
    }

    private static string Key(int index, string name) => index.ToString(CultureInfo.InvariantCulture) + "." + name;

    private (int index, string name) ParseKey(string key)
    {
        int dot = key.IndexOf('.');
        if (dot <= 0 || !int.TryParse(key.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            throw new ArgumentException($"optimizer state key '{key}' is not of the form '<parameter index>.<name>'", "state_dict");
        }
        if (index >= parameters_.Length) throw new ArgumentException($"optimizer state key '{key}' names parameter {index}, but the optimizer has {parameters_.Length} parameters", "state_dict");
        string name = key[(dot + 1)..];
        if (!StateNames.Contains(name)) throw new ArgumentException($"optimizer state key '{key}': {GetType().Name} keeps no state named '{name}' (it keeps {string.Join(", ", StateNames)})", "state_dict");
        return (index, name);
    }

    /// <summary>Throws unless <paramref name="value"/> has the parameter's shape (state tensors are per element).</summary>
    protected static void RequireParameterShape(int index, string name, Tensor parameter, Tensor value)
    {
        long[] expected = parameter.shape, actual = value.shape;
        if (!expected.SequenceEqual(actual))
        {
            throw new ArgumentException($"optimizer state '{Key(index, name)}' has shape [{string.Join(", ", actual)}], its parameter has shape [{string.Join(", ", expected)}]");
        }
    }

    // ---- disposal -------------------------------------------------------------------------------

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposed) return;
        disposed = true;
        if (!disposing) return;
        foreach (var s in state)
        {
            foreach (var t in s.Values) t.Dispose();
            s.Clear();
        }
    }
}
