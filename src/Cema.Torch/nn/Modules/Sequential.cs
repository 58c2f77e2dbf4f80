namespace Cema.Torch.Modules;

/// <summary>Runs its children in order, as PyTorch's <c>torch.nn.Sequential</c>; unnamed children are named "0", "1", ….</summary>
public class Sequential : Module
{
    private readonly List<Module> layers = new();

    public Sequential(params Module[] modules)
    {
        foreach (var m in modules) append(m);
    }

    /// <summary>Children with names of their own (PyTorch's OrderedDict form).</summary>
    public Sequential(IEnumerable<(string name, Module module)> modules)
    {
        foreach (var (name, m) in modules)
        {
            RegisterModule(name, m);
            layers.Add(m);
        }
    }

    public int Count => layers.Count;

    public Module this[int index] => layers[index];

    public Sequential append(Module module)
    {
        var name = layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Registering over a named child would silently replace (and dispose) it.
        if (named_children().Any(c => c.name == name)) throw new ArgumentException($"Sequential already has a child named '{name}'", nameof(module));
        RegisterModule(name, module);
        layers.Add(module);
        return this;
    }

    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers)
        {
            var next = layer.call(x);
            // Intermediate outputs are released at once, so a Sequential used outside a dispose scope
            // leaves no handle per layer to the finalizer; autograd keeps what backward needs itself.
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, next)) x.Dispose();
            x = next;
        }
        // Every module returns a tensor its caller owns, even an empty Sequential.
        return ReferenceEquals(x, input) ? input.alias() : x;
    }
}
