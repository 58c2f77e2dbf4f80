namespace Cema.Torch;

public static class TensorPipeline
{
    /// <summary>
    /// <c>f(input)</c>, releasing <paramref name="input"/> right after, as C++ releases a temporary
    /// when it is reassigned. Forward code that chains layers this way lets LibTorch's allocator
    /// hand the just-freed, cache-hot block to the next layer instead of fresh memory.
    /// </summary>
    public static Tensor then(this Tensor input, Func<Tensor, Tensor> f)
    {
        using (input) return f(input);
    }
}
