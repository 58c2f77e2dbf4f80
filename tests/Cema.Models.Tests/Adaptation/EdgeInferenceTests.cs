using Cema.Models.Adaptation;
using Cema.Torch;

namespace Cema.Models.Tests.Adaptation;

public class EdgeInferenceTests
{
    [Fact]
    public void The_edge_path_records_no_autograd_graph()
    {
        using var edge = TinyNets.Edge();
        NormLayers.PrepareForAdaptation(edge);   // γ and β require grad, as on the cloud's replica
        edge.train();
        using var images = TinyNets.Images(4, seed: 11);

        // The same network outside the edge path does record one, so the assertions below can fail.
        using (var graph = edge.call(images)) Assert.True(graph.has_grad_fn);

        using var logits = EdgeInference.Predict(edge, images);
        Assert.False(logits.has_grad_fn);
        Assert.False(logits.requires_grad);
        Assert.False(edge.training);
        Assert.Equal(new long[] { 4, 10 }, logits.shape);
    }

    [Fact]
    public void Edge_inference_leaves_received_running_statistics_alone()
    {
        using var edge = TinyNets.Edge();
        NormLayers.PrepareForAdaptation(edge);
        using var images = TinyNets.Images(4, seed: 12);
        using (EdgeInference.Predict(edge, images)) { }   // first batch: the running statistics start from it
        var before = NormParams.From(edge, version: 1);
        using var shifted = TinyNets.Images(4, seed: 13);
        using (EdgeInference.Predict(edge, shifted)) { }
        Assert.Equal(before.Values.ToArray(), NormParams.From(edge, version: 1).Values.ToArray());
    }
}
