using System.Text;

namespace Cema.Torch.Modules;

/// <summary>
/// Base class of network layers, shaped like PyTorch's <c>torch.nn.Module</c>.
/// A module owns what is registered in it: its parameters, its buffers and its child modules;
/// <see cref="Dispose()"/> releases them all. Ownership rules: src/Cema.Torch/README.md.
/// </summary>
public abstract class Module : IDisposable
{
    // Registration order is part of the contract: it is the order of state_dict() keys.
    private readonly OrderedDictionary<string, Tensor?> parameters_ = new();
    private readonly OrderedDictionary<string, Tensor?> buffers_ = new();
    private readonly HashSet<string> nonPersistentBuffers = new();
    private readonly OrderedDictionary<string, Module> modules_ = new();
    private bool disposed;

    /// <summary>True in training mode (the default), false after <see cref="eval"/>.</summary>
    public bool training { get; private set; } = true;

    public abstract Tensor forward(Tensor input);

    /// <summary>Runs <see cref="forward"/>. The result is a new tensor the caller owns (it joins the current dispose scope).</summary>
    public Tensor call(Tensor input)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return forward(input);
    }

    // ---- registration ---------------------------------------------------------------------------

    /// <summary>
    /// Adds (or replaces) a parameter. The module takes ownership of <paramref name="parameter"/>:
    /// it is taken out of any dispose scope and made a leaf that requires grad. Null registers the
    /// name without a tensor (e.g. a disabled bias), which PyTorch also skips in state_dict().
    /// </summary>
    public void RegisterParameter(string name, Tensor? parameter)
    {
        CheckName(name, "parameter", parameters_);
        if (parameter is not null)
        {
            if (!parameter.is_leaf)
            {
                throw new ArgumentException($"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be created explicitly; " +
                    $"to express '{name}' as a function of another Tensor, compute the value in forward().", nameof(parameter));
            }
            parameter.requires_grad_(true);
            parameter.DetachFromDisposeScope();
        }
        Replace(parameters_, name, parameter);
    }

    /// <summary>
    /// Adds (or replaces) a buffer: state that is not trained (e.g. running statistics). The module
    /// takes ownership of <paramref name="buffer"/>. A non-persistent buffer is left out of state_dict().
    /// </summary>
    public void RegisterBuffer(string name, Tensor? buffer, bool persistent = true)
    {
        CheckName(name, "buffer", buffers_);
        buffer?.DetachFromDisposeScope();
        Replace(buffers_, name, buffer);
        if (persistent) nonPersistentBuffers.Remove(name);
        else nonPersistentBuffers.Add(name);
    }

    /// <summary>Adds (or replaces) a child module; its parameters then appear under "name.".</summary>
    public void RegisterModule(string name, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name, "module", modules_);
        if (modules_.TryGetValue(name, out var old) && !ReferenceEquals(old, module)) old.Dispose();
        modules_[name] = module;
    }

    private void CheckName<T>(string name, string kind, OrderedDictionary<string, T> own)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) throw new ArgumentException($"{kind} name can't be empty string \"\"", nameof(name));
        if (name.Contains('.')) throw new ArgumentException($"{kind} name can't contain \".\": '{name}'", nameof(name));
        // One namespace per module, as attribute names are in Python.
        bool takenElsewhere = (parameters_.ContainsKey(name) || buffers_.ContainsKey(name) || modules_.ContainsKey(name)) && !own.ContainsKey(name);
        if (takenElsewhere) throw new ArgumentException($"attribute '{name}' already exists", nameof(name));
    }

    private static void Replace(OrderedDictionary<string, Tensor?> own, string name, Tensor? value)
    {
        if (own.TryGetValue(name, out var old) && old is not null && !ReferenceEquals(old, value)) old.Dispose();
        own[name] = value;
    }

    /// <summary>This module's own parameter <paramref name="name"/> (not a child's), or null when it is registered as null.</summary>
    protected Tensor? GetParameter(string name) =>
        parameters_.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"{GetType().Name} has no parameter '{name}'");

    /// <summary>This module's own buffer <paramref name="name"/>, or null when it is registered as null.</summary>
    protected Tensor? GetBuffer(string name) =>
        buffers_.TryGetValue(name, out var b) ? b : throw new KeyNotFoundException($"{GetType().Name} has no buffer '{name}'");

    protected Module GetModule(string name) =>
        modules_.TryGetValue(name, out var m) ? m : throw new KeyNotFoundException($"{GetType().Name} has no submodule '{name}'");

    // ---- traversal ------------------------------------------------------------------------------
    // These return the module's own tensors and modules, not copies: do not dispose them.

    public IEnumerable<(string name, Module module)> named_children()
    {
        var memo = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var (name, child) in modules_)
        {
            if (memo.Add(child)) yield return (name, child);
        }
    }

    public IEnumerable<Module> children() => named_children().Select(c => c.module);

    /// <summary>This module (named "") and all its descendants, depth first, each once even when registered twice.</summary>
    public IEnumerable<(string name, Module module)> named_modules() =>
        NamedModules(new HashSet<Module>(ReferenceEqualityComparer.Instance), "");

    public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

    private IEnumerable<(string name, Module module)> NamedModules(HashSet<Module> memo, string prefix)
    {
        if (!memo.Add(this)) yield break;
        yield return (prefix, this);
        foreach (var (name, child) in modules_)
        {
            foreach (var item in child.NamedModules(memo, Join(prefix, name))) yield return item;
        }
    }

    /// <summary>Parameters with dotted names (e.g. "layer1.0.conv1.weight"); a tensor shared by two modules appears once.</summary>
    public IEnumerable<(string name, Tensor parameter)> named_parameters(bool recurse = true) => NamedMembers(m => m.parameters_, recurse);

    public IEnumerable<Tensor> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

    public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) => NamedMembers(m => m.buffers_, recurse);

    public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

    private IEnumerable<(string, Tensor)> NamedMembers(Func<Module, OrderedDictionary<string, Tensor?>> members, bool recurse)
    {
        var memo = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var owners = recurse ? named_modules() : new[] { ("", this) };
        foreach (var (prefix, module) in owners)
        {
            foreach (var (name, tensor) in members(module))
            {
                if (tensor is not null && memo.Add(tensor)) yield return (Join(prefix, name), tensor);
            }
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    // ---- modes and gradients --------------------------------------------------------------------

    /// <summary>Sets training mode on this module and all descendants; returns this module.</summary>
    public virtual Module train(bool mode = true)
    {
        training = mode;
        foreach (var child in children()) child.train(mode);
        return this;
    }

    /// <summary>Evaluation mode: <c>train(false)</c>.</summary>
    public Module eval() => train(false);

    /// <summary>Clears the gradients of all parameters: drops them (set_to_none) or fills them with zeros.</summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in parameters()) ClearGrad(p, set_to_none);
    }

    internal static void ClearGrad(Tensor parameter, bool setToNone)
    {
        if (setToNone)
        {
            parameter.grad = null;
            return;
        }
        using var g = parameter.grad;
        if (g is null) return;
        // As PyTorch: a gradient that is itself part of a graph (create_graph) is cut loose before zeroing.
        if (g.has_grad_fn) g.detach_();
        else g.requires_grad_(false);
        g.zero_();
    }

    // ---- state dict -----------------------------------------------------------------------------

    /// <summary>
    /// Parameters and persistent buffers by dotted name, in PyTorch's order: each module's own
    /// parameters, then its own buffers, then its children's entries. Values are new handles,
    /// detached from autograd and sharing storage with the module's tensors (as PyTorch's
    /// <c>state_dict()</c>); the caller owns the handles, the module still owns the storage.
    /// </summary>
    public Dictionary<string, Tensor> state_dict()
    {
        var destination = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in StateEntries("")) destination[key] = tensor.detach();
        return destination;
    }

    private IEnumerable<(string key, Tensor tensor)> StateEntries(string prefix)
    {
        foreach (var (name, p) in parameters_)
        {
            if (p is not null) yield return (prefix + name, p);
        }
        foreach (var (name, b) in buffers_)
        {
            if (b is not null && !nonPersistentBuffers.Contains(name)) yield return (prefix + name, b);
        }
        foreach (var (name, child) in modules_)
        {
            foreach (var entry in child.StateEntries(prefix + name + ".")) yield return entry;
        }
    }

    /// <summary>
    /// Copies values from <paramref name="state_dict"/> into this module's parameters and buffers, in
    /// place and without recording gradients. Keys the module expects but does not find are
    /// missing; keys it does not know are unexpected. With <paramref name="strict"/> either is an
    /// error; a shape mismatch always is (as in PyTorch), because copy_ would otherwise broadcast.
    /// Unlike PyTorch nothing is copied when there is an error, so a failed load leaves the module as it was.
    /// </summary>
    /// <exception cref="LoadStateDictException">listing every bad key and both shapes of each mismatch.</exception>
    public IncompatibleKeys load_state_dict(IReadOnlyDictionary<string, Tensor> state_dict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state_dict);
        ObjectDisposedException.ThrowIf(disposed, this);
        var expected = StateEntries("").ToList();
        var expectedKeys = expected.Select(e => e.key).ToHashSet();

        var missing = new List<string>();
        var mismatches = new List<SizeMismatch>();
        foreach (var (key, target) in expected)
        {
            if (!state_dict.TryGetValue(key, out var source))
            {
                missing.Add(key);
                continue;
            }
            long[] sourceShape = source.shape, targetShape = target.shape;
            if (!sourceShape.SequenceEqual(targetShape)) mismatches.Add(new SizeMismatch(key, sourceShape, targetShape));
        }
        var unexpected = state_dict.Keys.Where(k => !expectedKeys.Contains(k)).ToList();

        if (mismatches.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            throw new LoadStateDictException(GetType().Name, strict ? missing : new List<string>(), strict ? unexpected : new List<string>(), mismatches);
        }

        using (torch.no_grad())
        {
            foreach (var (key, target) in expected)
            {
                if (state_dict.TryGetValue(key, out var source)) target.copy_(source);
            }
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    // ---- printing -------------------------------------------------------------------------------

    /// <summary>The constructor arguments shown inside the parentheses of <see cref="ToString"/>, as PyTorch's <c>extra_repr</c>.</summary>
    public virtual string extra_repr() => "";

    public override string ToString()
    {
        var sb = new StringBuilder(GetType().Name).Append('(').Append(extra_repr());
        if (modules_.Count > 0)
        {
            sb.Append('\n');
            foreach (var (name, child) in modules_)
            {
                string childText = child.ToString().Replace("\n", "\n  ");
                sb.Append("  (").Append(name).Append("): ").Append(childText).Append('\n');
            }
        }
        return sb.Append(')').ToString();
    }

    // ---- disposal -------------------------------------------------------------------------------

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the parameters, buffers and child modules this module owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposed) return;
        disposed = true;
        if (!disposing) return;
        foreach (var p in parameters_.Values) p?.Dispose();
        foreach (var b in buffers_.Values) b?.Dispose();
        foreach (var m in modules_.Values) m.Dispose();
    }
}
