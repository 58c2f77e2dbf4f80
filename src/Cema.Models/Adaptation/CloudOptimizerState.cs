namespace Cema.Models.Adaptation;

/// <summary>
/// The SGD momentum of a <see cref="CemaCloudStep"/>'s two optimizers, flattened: the momentum buffer of
/// every norm γ and β in <see cref="NormLayers.AffineParameters"/> order, back to back. A parameter that has
/// not been stepped yet has a zero buffer, which with zero dampening is the same as none (PyTorch's first
/// step sets the buffer to the gradient, 0.9 · 0 + gradient). It lets one distiller serve many sessions,
/// each with its own momentum, as CEMA keeps one optimizer pair per model pair.
/// </summary>
/// <param name="Edge">The edge replica optimizer's buffers.</param>
/// <param name="Foundation">The foundation optimizer's buffers.</param>
public sealed record CloudOptimizerState(float[] Edge, float[] Foundation);
