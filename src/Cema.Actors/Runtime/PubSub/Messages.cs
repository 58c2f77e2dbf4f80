namespace Cema.Actors.Runtime;

/// <summary>Subscribes <paramref name="Ref"/> to <paramref name="Topic"/>; the sender gets a <see cref="SubscribeAck"/>.</summary>
public sealed record Subscribe(string Topic, IActorRef Ref);

public sealed record SubscribeAck(Subscribe Subscribe);

/// <summary>Ends a subscription; the sender gets an <see cref="UnsubscribeAck"/>.</summary>
public sealed record Unsubscribe(string Topic, IActorRef Ref);

public sealed record UnsubscribeAck(Unsubscribe Unsubscribe);

/// <summary>Delivers <paramref name="Message"/> to every current subscriber of <paramref name="Topic"/>, with the publisher as sender.</summary>
public sealed record Publish(string Topic, object Message);

/// <summary>Asks for the topics that have subscribers; the reply is <see cref="CurrentTopics"/>.</summary>
public sealed record GetTopics
{
    public static GetTopics Instance { get; } = new();
}

public sealed record CurrentTopics(IReadOnlySet<string> Topics);

/// <summary>Asks how many subscribers a topic has; the reply is an <see cref="int"/>.</summary>
public sealed record CountSubscribers(string Topic);
