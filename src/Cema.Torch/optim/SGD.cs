namespace Cema.Torch.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, weight decay and Nesterov
/// momentum: PyTorch 1.13's <c>torch.optim.SGD</c> update, operation for operation.
/// </summary>
public class SGD : Optimizer
{
    private static readonly string[] stateNames = { "momentum_buffer" };
    private double lr_, momentum_, dampening_, weightDecay;
    private bool nesterov_;

    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false)
        : base(parameters)
    {
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weight_decay = weight_decay;
        this.nesterov = nesterov;
    }

    public double lr
    {
        get => lr_;
        set => lr_ = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(lr), value, $"Invalid learning rate: {value}");
    }

    public double momentum
    {
        get => momentum_;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(momentum), value, $"Invalid momentum value: {value}");
            momentum_ = value;
            CheckNesterov();
        }
    }

    /// <summary>Scales the new gradient's share of the momentum buffer by (1 - dampening); not applied at the first step.</summary>
    public double dampening
    {
        get => dampening_;
        set
        {
            dampening_ = value;
            CheckNesterov();
        }
    }

    /// <summary>L2 penalty: weight_decay * parameter is added to the gradient.</summary>
    public double weight_decay
    {
        get => weightDecay;
        set => weightDecay = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(weight_decay), value, $"Invalid weight_decay value: {value}");
    }

    public bool nesterov
    {
        get => nesterov_;
        set
        {
            nesterov_ = value;
            CheckNesterov();
        }
    }

    private void CheckNesterov()
    {
        if (nesterov_ && (momentum_ <= 0 || dampening_ != 0)) throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }

    protected override IReadOnlyCollection<string> StateNames => stateNames;

    protected override void ValidateState(int index, Tensor parameter, IReadOnlyDictionary<string, Tensor> parameterState)
    {
        foreach (var (name, value) in parameterState) RequireParameterShape(index, name, parameter, value);
    }

    protected override void Update(int index, Tensor param, Tensor grad)
    {
        var d_p = grad;
        if (weight_decay != 0) d_p = grad.clone().add_(param, weight_decay);
        if (momentum != 0)
        {
            var buf = GetState(index, "momentum_buffer");
            if (buf is null) buf = SetState(index, "momentum_buffer", d_p.clone());
            else buf.mul_(momentum).add_(d_p, 1 - dampening);
            d_p = nesterov ? d_p.clone().add_(buf, momentum) : buf;
        }
        param.add_(d_p, -lr);
    }
}
