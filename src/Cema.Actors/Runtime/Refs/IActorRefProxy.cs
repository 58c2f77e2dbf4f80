namespace Cema.Actors.Runtime;

/// <summary>
/// Implemented by objects that stand for an actor without being its ref (the TestKit's
/// TestProbe). The runtime unwraps them wherever identity matters — senders, death watch,
/// subscriptions — so a probe and its ref are one actor.
/// </summary>
internal interface IActorRefProxy : IActorRef
{
    IActorRef Ref { get; }
}
