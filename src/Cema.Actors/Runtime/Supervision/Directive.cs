namespace Cema.Actors.Runtime;

/// <summary>What a supervisor does with a child whose message handler threw.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; drop the failed message; go on with the next.</summary>
    Resume,

    /// <summary>Replace the instance with a fresh one from Props (after the back-off); keep the mailbox.</summary>
    Restart,

    /// <summary>Stop the child; watchers get Terminated; its queued messages become dead letters.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, for its own parent to decide.</summary>
    Escalate,
}
