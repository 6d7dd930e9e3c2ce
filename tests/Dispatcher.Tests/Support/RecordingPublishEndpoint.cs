using MassTransit;

namespace Pipeline.Dispatcher.Tests.Support;

/// <summary>Keeps what was published, in order. Only for unit tests of one service's logic; end-to-end tests use a
/// real broker.</summary>
public sealed class RecordingPublishEndpoint : IPublishEndpoint
{
    private readonly List<object> _messages = [];

    public IReadOnlyList<T> Published<T>() where T : class
    {
        lock (_messages) return _messages.OfType<T>().ToList();
    }

    /// <summary>When set, the next publish throws it (once) and records nothing: a broker gone mid-call.</summary>
    public Exception? FailNext { get; set; }

    private Task Record(object message)
    {
        lock (_messages)
        {
            if (FailNext is { } failure)
            {
                FailNext = null;
                return Task.FromException(failure);
            }
            _messages.Add(message);
        }
        return Task.CompletedTask;
    }

    public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => throw new NotSupportedException();

    public Task Publish<T>(T message, CancellationToken cancellationToken = default) where T : class => Record(message);

    public Task Publish<T>(T message, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(message);

    public Task Publish<T>(T message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(message);

    public Task Publish(object message, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, Type messageType, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, Type messageType, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish<T>(object values, CancellationToken cancellationToken = default) where T : class => throw new NotSupportedException();

    public Task Publish<T>(object values, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => throw new NotSupportedException();

    public Task Publish<T>(object values, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => throw new NotSupportedException();
}
