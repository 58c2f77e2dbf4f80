using Cema.Torch;
using F = Cema.Torch.torch.nn.functional;

namespace Cema.Torch.Tests.Ops;

/// <summary>LibTorch errors surface as TorchException with LibTorch's own text; the process and the next op carry on.</summary>
public class ErrorTests
{
    [Fact]
    public void Conv2d_channel_mismatch_raises_with_LibTorch_text_and_the_next_op_works()
    {
        using var x = torch.zeros(1, 3, 8, 8);
        using var w = torch.zeros(4, 2, 3, 3);
        var e = Expect.TorchError(() => F.conv2d(x, w), "expected input[1, 3, 8, 8] to have 2 channels, but got 3 channels instead");
        Assert.Contains("Given groups=1, weight of size [4, 2, 3, 3]", e.Message);
        Assert.DoesNotContain("Exception raised from", e.Message); // LibTorch's text without the C++ backtrace

        using var ones = torch.ones(2, 2);
        using var s = ones.sum();
        Assert.Equal(4f, s.item<float>());
        using var w3 = torch.ones(4, 3, 3, 3);
        using var y = F.conv2d(x, w3, null, stride: 1, padding: 1);
        Assert.Equal(new long[] { 1, 4, 8, 8 }, y.shape);
    }

    [Fact]
    public void Each_error_reports_its_own_message()
    {
        using var x = torch.arange(6);
        var first = Expect.TorchError(() => x.reshape(4), "shape '[4]' is invalid for input of size 6");
        var second = Expect.TorchError(() => x.select(0, 9), "index 9 out of range");
        Assert.DoesNotContain("shape '[4]'", second.Message);
        using var ok = x.reshape(2, 3);           // a success in between leaves no stale error behind
        var third = Expect.TorchError(() => x.view(7), "shape '[7]' is invalid for input of size 6");
        Assert.NotEqual(first.Message, third.Message);
    }

    [Fact]
    public void Many_errors_in_a_row_leave_the_process_working()
    {
        using var a = torch.ones(2, 3);
        using var b = torch.ones(2, 3);
        for (int i = 0; i < 50; i++) // each LibTorch error costs ~10 ms (it captures a C++ backtrace)
            Assert.Throws<TorchException>(() => a.matmul(b));
        using var c = a.matmul(b.t());
        Expect.Values(c, new long[] { 2, 2 }, new double[] { 3, 3, 3, 3 });
    }

    [Fact]
    public void Error_messages_are_per_thread()
    {
        string? failure = null;
        void Run(Func<Tensor, object> op, string text)
        {
            using var x = torch.arange(6);
            for (int i = 0; i < 40; i++)
            {
                try
                {
                    op(x);
                    failure ??= "no exception";
                }
                catch (TorchException e) when (!e.Message.Contains(text))
                {
                    failure ??= $"expected '{text}', got '{e.Message}'";
                }
                catch (TorchException)
                {
                }
            }
        }
        var t1 = new Thread(() => Run(x => x.reshape(4), "shape '[4]' is invalid"));
        var t2 = new Thread(() => Run(x => x.select(0, 7), "index 7 out of range"));
        t1.Start();
        t2.Start();
        t1.Join();
        t2.Join();
        Assert.Null(failure);
    }

    [Fact]
    public void Other_error_paths()
    {
        using var m = torch.arange(6).reshape(2, 3);
        using var t = m.t();
        Expect.TorchError(() => t.view(6), "view size is not compatible with input tensor's size and stride");
        Expect.TorchError(() => m[5], "index 5 out of range for tensor of size [2, 3] at dimension 0");
        Expect.TorchError(() => m[0, -4], "index -4 out of range for tensor of size [3] at dimension 0");
        Expect.TorchError(() => m.item(), "a Tensor with 6 elements cannot be converted to Scalar");
        Expect.TorchError(() => torch.tensor(new float[] { 1, 2, 3 }, 2, 2), "buffer holds 12 bytes but shape [2, 2] of Float needs 16");
        Expect.TorchError(() => torch.zeros(new long[] { -1 }), "negative dimension -1");
        using var f = torch.ones(3);
        using var l = torch.ones(new long[] { 3 }, ScalarType.Int64);
        using var two = torch.ones(2);
        using var cond = torch.tensor(new[] { true, false, true });
        Expect.TorchError(() => torch.where(cond, f, two), "The size of tensor a (3) must match the size of tensor b (2)");
        Expect.TorchError(() => F.mse_loss(f, two), "The size of tensor a (3) must match the size of tensor b (2)");
        Expect.TorchError(() => f.index_select(0, f), "index_select(): Expected dtype int32 or int64 for index");
        using var logits = torch.zeros(2, 3);
        using var labels = torch.tensor(new long[] { 0, 1, 2 });
        Expect.TorchError(() => F.cross_entropy(logits, labels), "Expected input batch_size (2) to match target batch_size (3)");
        Expect.TorchError(() => l.sqrt_(), "result type Float can't be cast to the desired output type Long");
    }

    [Fact]
    public void CopyTo_checks_dtype_and_length()
    {
        using var f = torch.ones(3);
        var e = Assert.Throws<ArgumentException>(() => f.CopyTo<double>(new double[3]));
        Assert.Contains("Float32", e.Message);
        Assert.Throws<ArgumentException>(() => f.ToArray<long>());
        Assert.Throws<ArgumentException>(() => f.ToArray<int>());
        Expect.TorchError(() => f.CopyTo<float>(new float[2]), "destination holds 8 bytes but the tensor has 12");
        using var one = torch.ones(1);
        Assert.Throws<NotSupportedException>(() => one.item<short>());
        var ok = new float[3];
        f.CopyTo<float>(ok);
        Assert.Equal(new float[] { 1, 1, 1 }, ok);
    }

    [Fact]
    public void A_disposed_tensor_raises_ObjectDisposedException()
    {
        var t = torch.ones(2, 2);
        using var other = torch.ones(2, 2);
        Assert.False(t.IsDisposed);
        t.Dispose();
        Assert.True(t.IsDisposed);
        t.Dispose();                                          // a second Dispose is harmless
        Assert.Equal("Tensor(disposed)", t.ToString());
        Assert.Throws<ObjectDisposedException>(() => t.sum());
        Assert.Throws<ObjectDisposedException>(() => t.shape);
        Assert.Throws<ObjectDisposedException>(() => t.dtype);
        Assert.Throws<ObjectDisposedException>(() => t.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => t.item<float>());
        Assert.Throws<ObjectDisposedException>(() => t[0]);
        Assert.Throws<ObjectDisposedException>(() => other + t);  // as an argument, too
        Assert.Throws<ObjectDisposedException>(() => other.copy_(t));
        Assert.Throws<ObjectDisposedException>(() => torch.cat(new[] { other, t }));
        Assert.Throws<ObjectDisposedException>(() => F.conv2d(other, t));
        Assert.Throws<ObjectDisposedException>(() => t.requires_grad = true);
        Assert.Throws<ObjectDisposedException>(() => t.backward());
        using var s = other.sum();                            // everything else still works
        Assert.Equal(4f, s.item<float>());
    }

    [Fact]
    public void Too_many_indices_is_an_ArgumentException_before_reaching_LibTorch()
    {
        using var m = torch.zeros(2, 2);
        Assert.Throws<ArgumentException>(() => m[0, 0, 0]);
        using var mask = torch.ones(new long[] { 2, 2 }, ScalarType.Bool);
        Assert.Throws<ArgumentException>(() => m[mask, 0]);
        Assert.Throws<ArgumentException>(() => { m[0, 0, 0] = m; });
    }
}
