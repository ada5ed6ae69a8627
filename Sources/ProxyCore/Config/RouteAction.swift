/// What a matched route does.
public enum RouteAction: Sendable {
    case forward(ForwardAction)
    case redirect(RedirectAction)
    case directResponse(DirectResponse)
}
