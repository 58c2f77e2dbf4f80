using Cema.Actors.Cluster.Wire.Proto;
using Google.Protobuf;

namespace Cema.Actors.Cluster.Wire;

/// <summary>
/// Turns <see cref="Envelope"/>s into bytes and back, enforcing the schema version and the size limits.
/// Every transport goes through it, so an oversized or foreign message is refused the same way in
/// process and over RabbitMQ: at the sender with a <see cref="WireLimitException"/> naming the limit,
/// at the receiver with a <see cref="WireException"/> (the transport counts it and drops that message only).
/// </summary>
public sealed class WireCodec(WireLimits limits)
{
    /// <summary>The schema this build speaks (cluster.proto's package is v1). A reader refuses any other.</summary>
    public const uint SchemaVersion = 1;

    public WireLimits Limits { get; } = (limits ?? throw new ArgumentNullException(nameof(limits))).Validate();

    /// <summary>An envelope of the current schema around <paramref name="fill"/>'s body.</summary>
    public static Envelope Wrap(string sender, Action<Envelope> fill)
    {
        var envelope = new Envelope { SchemaVersion = SchemaVersion, Sender = sender ?? "" };
        fill(envelope);
        return envelope;
    }

    public byte[] Encode(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.BodyCase == Envelope.BodyOneofCase.None) throw new WireException("body", "the envelope carries no message");
        int size = envelope.CalculateSize();
        var (max, key) = Limits.For(envelope.BodyCase);
        if (size > max) throw new WireLimitException(key, envelope.BodyCase.ToString(), size, max);
        return envelope.ToByteArray();
    }

    public Envelope Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > Limits.Largest)
            throw new WireLimitException($"{WireLimits.ConfigPath} (largest)", "incoming", bytes.Length, Limits.Largest);
        Envelope envelope;
        try
        {
            envelope = Envelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new WireException("envelope", $"not a CEMA cluster envelope: {e.Message}", e);
        }
        if (envelope.SchemaVersion != SchemaVersion)
            throw new WireException("schema_version", $"schema version {envelope.SchemaVersion} is not supported (this node speaks {SchemaVersion})");
        if (envelope.BodyCase == Envelope.BodyOneofCase.None) throw new WireException("body", "the envelope carries no message (or one this schema does not know)");
        var (max, key) = Limits.For(envelope.BodyCase);
        if (bytes.Length > max) throw new WireLimitException(key, envelope.BodyCase.ToString(), bytes.Length, max);
        return envelope;
    }
}
