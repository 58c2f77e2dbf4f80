namespace Cema.Torch;

/// <summary>One entry of <c>tensor[...]</c>: an integer, a slice, an index/mask tensor, None (new axis) or Ellipsis.</summary>
public readonly struct TensorIndex
{
    internal enum Kind { Single, Slice, Tensor, None, Ellipsis }

    internal Kind Type { get; }
    internal long Index { get; }
    internal long? Start { get; }
    internal long? Stop { get; }
    internal long Step { get; }
    internal Tensor? IndexTensor { get; }

    private TensorIndex(Kind type, long index = 0, long? start = null, long? stop = null, long step = 1, Tensor? tensor = null)
    {
        Type = type;
        Index = index;
        Start = start;
        Stop = stop;
        Step = step;
        IndexTensor = tensor;
    }

    public static TensorIndex Single(long index) => new(Kind.Single, index);
    public static TensorIndex Slice(long? start = null, long? stop = null, long step = 1) => new(Kind.Slice, start: start, stop: stop, step: step);
    public static TensorIndex Colon => Slice();
    public static TensorIndex None => new(Kind.None);
    public static TensorIndex Ellipsis => new(Kind.Ellipsis);
    public static TensorIndex Of(Tensor index) => new(Kind.Tensor, tensor: index);

    public static implicit operator TensorIndex(long index) => Single(index);
    public static implicit operator TensorIndex(int index) => Single(index);
    public static implicit operator TensorIndex(Tensor index) => Of(index);

    /// <summary><c>^k</c> selects the k-th element from the end, as <c>-k</c> in Python; <c>^0</c> is past the end.</summary>
    public static implicit operator TensorIndex(Index index)
    {
        if (index.IsFromEnd && index.Value == 0) throw new ArgumentOutOfRangeException(nameof(index), "^0 is past the end of every dimension");
        return Single(index.IsFromEnd ? -(long)index.Value : index.Value);
    }

    public static implicit operator TensorIndex(Range range)
    {
        // ^0 as a start is the end itself (an empty slice); as a stop it means "to the end".
        long? start = range.Start.IsFromEnd ? (range.Start.Value == 0 ? long.MaxValue : -range.Start.Value) : range.Start.Value;
        long? stop = range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value;
        return Slice(start, stop);
    }
}
