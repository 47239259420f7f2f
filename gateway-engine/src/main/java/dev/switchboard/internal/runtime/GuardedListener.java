package dev.switchboard.internal.runtime;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.CallListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A request's {@link CallListener}, whose exceptions are logged and never reach the request. */
final class GuardedListener implements CallListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

    private final CallListener delegate;

    private GuardedListener(CallListener delegate) {
        this.delegate = delegate;
    }

    /** The listener {@code factory} makes for {@code request}, guarded; {@link CallListener#NONE} without a factory. */
    static CallListener create(CallListener.Factory factory, GatewayRequest request) {
        if (factory == null) {
            return NONE;
        }
        CallListener l;
        try {
            l = factory.create(request);
        } catch (RuntimeException e) {
            LOG.warn("call listener factory {} failed: {}", factory.getClass().getName(), e.toString());
            return NONE;
        }
        return l == null || l == NONE ? NONE : new GuardedListener(l);
    }

    private void warn(String what, RuntimeException e) {
        LOG.warn("call listener {} failed in {}: {}", delegate.getClass().getName(), what, e.toString());
    }

    @Override
    public void requestStart(GatewayRequest request) {
        try {
            delegate.requestStart(request);
        } catch (RuntimeException e) {
            warn("requestStart", e);
        }
    }

    @Override
    public void attemptStart(String targetPath, String provider, String model, int retryNumber) {
        try {
            delegate.attemptStart(targetPath, provider, model, retryNumber);
        } catch (RuntimeException e) {
            warn("attemptStart", e);
        }
    }

    @Override
    public void firstEvent(String targetPath) {
        try {
            delegate.firstEvent(targetPath);
        } catch (RuntimeException e) {
            warn("firstEvent", e);
        }
    }

    @Override
    public void attemptEnd(Attempt attempt) {
        try {
            delegate.attemptEnd(attempt);
        } catch (RuntimeException e) {
            warn("attemptEnd", e);
        }
    }

    @Override
    public void cacheHit(String targetPath, CacheStatus status) {
        try {
            delegate.cacheHit(targetPath, status);
        } catch (RuntimeException e) {
            warn("cacheHit", e);
        }
    }

    @Override
    public void streamEnd(Usage usage, String errorClass) {
        try {
            delegate.streamEnd(usage, errorClass);
        } catch (RuntimeException e) {
            warn("streamEnd", e);
        }
    }

    @Override
    public void requestEnd(RequestTrace trace) {
        try {
            delegate.requestEnd(trace);
        } catch (RuntimeException e) {
            warn("requestEnd", e);
        }
    }
}
