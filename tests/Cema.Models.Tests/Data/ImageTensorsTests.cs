using Cema.Models.Data;
using Cema.Torch;

namespace Cema.Models.Tests.Data;

public class ImageTensorsTests
{
    [Fact]
    public void Batch_becomes_a_standardized_float_tensor_N_1_28_28()
    {
        var stream = new ShiftStream(TestData.Test, ShiftSegment.ParseList("contrast:2"), ShiftMode.Continual, batchSize: 5, seed: 0, limit: 5);
        Batch batch = stream.First();
        using Tensor tensor = ImageTensors.ToTensor(batch);
        Assert.Equal(new long[] { 5, 1, 28, 28 }, tensor.shape);
        Assert.Equal(ScalarType.Float32, tensor.dtype);
        float[] values = tensor.ToArray<float>();
        for (int i = 0; i < values.Length; i += 97)
            Assert.Equal((batch.Pixels[i] / 255f - 0.2860f) / 0.3530f, values[i], 1e-6f);

        using Tensor extremes = ImageTensors.ToTensor(new byte[] { 0, 255 }.Concat(new byte[782]).ToArray(), 1);
        float[] e = extremes.ToArray<float>();
        Assert.Equal(-0.2860f / 0.3530f, e[0], 1e-6f);
        Assert.Equal((1 - 0.2860f) / 0.3530f, e[1], 1e-6f);
        Assert.Throws<ArgumentException>(() => ImageTensors.ToTensor(new byte[100], 1));
    }
}
