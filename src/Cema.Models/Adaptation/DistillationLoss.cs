using Cema.Torch;

namespace Cema.Models.Adaptation;

/// <summary>The edge replica's loss and its three weighted parts (each a 0-dim tensor in the current dispose scope).</summary>
/// <param name="Total">α·Entropy + β·Kl + γ·CrossEntropy: what backward runs on.</param>
/// <param name="Entropy">mean exp(E0 − sg E_e) · E_e over the edge logits.</param>
/// <param name="Kl">mean w · T² · KL(softmax(z_f/T) ‖ softmax(z_e/T)), w = exp(E0 − E(z_f)).</param>
/// <param name="CrossEntropy">mean w · CE(z_e, argmax z_f).</param>
public sealed record DistillationLoss(Tensor Total, Tensor Entropy, Tensor Kl, Tensor CrossEntropy);
