namespace Cema.Torch;

/// <summary>How a loss reduces over samples; values are LibTorch's <c>at::Reduction</c> codes (BatchMean is PyTorch's Python-level extra for kl_div).</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
    BatchMean = 3,
}
