using Cema.Actors.Cluster.Wire;
using Cema.Actors.Cluster.Wire.Proto;
using Google.Protobuf;

namespace Cema.Integration.Tests.Transport;

/// <summary>One envelope of every kind that crosses a process, with distinct contents.</summary>
public static class SampleMessages
{
    public static Envelope Upload(int images, long version = 3, string edge = "e1") => WireCodec.Wrap(edge, e => e.Upload = new Upload
    {
        Edge = edge,
        Group = "g",
        ParamsVersion = version,
        Pixels = ByteString.CopyFrom(Bytes(images * 784, images)),
        Shape = { images, 28, 28 },
    });

    public static Envelope Params(long version, int bytes = 64) => WireCodec.Wrap("cloud", e => e.ParamsUpdated = new ParamsUpdated
    {
        Group = "g",
        Version = version,
        BaseVersion = -1,
        Encoding = ParamsEncoding.Fp16,
        Params = ByteString.CopyFrom(Bytes(bytes, (int)version)),
        Checksum = 7,
    });

    public static IReadOnlyList<Envelope> EveryKind() =>
    [
        WireCodec.Wrap("e1", e => e.Join = new Join { Node = "e1", Role = Role.Edge, Group = "g", ReplyTo = "q.e1", Incarnation = "abc", ParamsVersion = 2 }),
        WireCodec.Wrap("cloud", e => e.Welcome = new Welcome { Node = "e1", Coordinator = "cloud", Group = "g", LatestVersion = 20, HeartbeatIntervalMs = 1000 }),
        WireCodec.Wrap("cloud", e => e.Heartbeat = new Heartbeat { Node = "cloud", Role = Role.Coordinator, Sequence = 5, LatestVersions = { ["g"] = 20, ["h"] = 3 } }),
        WireCodec.Wrap("e1", e => e.Leave = new Leave { Node = "e1", Reason = "shutdown" }),
        Upload(2),
        WireCodec.Wrap("cloud", e => e.DistillJob = new DistillJob
        {
            Session = "g", Version = 4, JobId = 9, NewPixels = ByteString.CopyFrom(Bytes(784, 1)), NewShape = { 1, 28, 28 },
            ReplayPixels = ByteString.Empty, ReplayShape = { 0, 28, 28 }, EdgeParams = ByteString.CopyFrom(Bytes(40, 2)),
            Settings = new CloudStepSettings { E0Fraction = 0.4, Temperature = 1 }, ReplyTo = "results",
        }),
        WireCodec.Wrap("d1", e => e.DistillResult = new DistillResult { Session = "g", JobId = 9, BaseVersion = 4, EdgeParams = ByteString.CopyFrom(Bytes(40, 3)), EdgeTotalLoss = 1.5, Distiller = "d1" }),
        Params(21),
        WireCodec.Wrap("e1", e => e.LatestParamsRequest = new LatestParamsRequest { Group = "g", ReplyTo = "q.e1", Node = "e1" }),
    ];

    public static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
