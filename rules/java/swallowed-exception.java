package com.acme.orders.payments;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class LedgerWriter {

    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);

    private final LedgerApi ledger;

    public LedgerWriter(LedgerApi ledger) {
        this.ledger = ledger;
    }

    public void record(Payment payment) {
        try {
            ledger.record(payment.id(), payment.amount());
        // ruleid: swallowed-exception
        } catch (IOException e) {
        }
    }

    public void recordAll(Iterable<Payment> payments) {
        for (Payment p : payments) {
            try {
                ledger.record(p.id(), p.amount());
            // ruleid: swallowed-exception
            } catch (IOException | IllegalStateException e) {}
        }
    }

    public void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(250);
        // Reported by interrupted-exception-swallowed, which owns this case.
        // ok: swallowed-exception
        } catch (InterruptedException ignored) {
        }
    }

    public void close() {
        try {
            ledger.close();
        // ruleid: swallowed-exception
        } catch (Exception ex) { }
    }

    public void recordLogged(Payment payment) {
        try {
            ledger.record(payment.id(), payment.amount());
        // ok: swallowed-exception
        } catch (IOException e) {
            log.warn("ledger write failed for {}", payment.id(), e);
        }
    }

    public void recordOrFail(Payment payment) {
        try {
            ledger.record(payment.id(), payment.amount());
        // ok: swallowed-exception
        } catch (IOException e) {
            throw new LedgerUnavailableException("ledger write failed", e);
        }
    }

    public Optional<Balance> balance(String account) {
        try {
            return Optional.of(ledger.balance(account));
        // ok: swallowed-exception
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void closeQuietly() {
        try {
            ledger.close();
        // ok: swallowed-exception
        } catch (Exception ignored) {
        }
    }

    public void flushBestEffort() {
        try {
            ledger.flush();
        // ok: swallowed-exception
        } catch (IOException e) {
            // best effort: the next write flushes again
        }
    }

    static java.lang.reflect.Method findHook(Class<?> type, String name) {
        java.lang.reflect.Method method = null;
        try {
            method = type.getDeclaredMethod(name);
        // ok: swallowed-exception
        } catch (NoSuchMethodException e) {
        }
        return method;
    }

    public void replay(java.io.InputStream journal) throws IOException {
        try {
            ledger.replay(journal);
        } finally {
            try {
                journal.close();
            // ok: swallowed-exception
            } catch (Throwable t) {
            }
        }
    }

    public void reserve(Payment payment) {
        try {
            ledger.reserve(payment);
        }
        // A duplicate reservation is rejected by the ledger itself; the first one stands.
        catch (DuplicateReservationException e) {} // ok: swallowed-exception
    }

    public boolean waitForLedger() {
        try {
            Thread.sleep(100);
        // ruleid: swallowed-exception
        } catch (Throwable t) {
        }
        return ledger.isUp();
    }

    static void registerOptionalModule(com.fasterxml.jackson.databind.ObjectMapper mapper, String className) {
        try {
            Object module = Class.forName(className).getDeclaredConstructor().newInstance();
            mapper.registerModule((com.fasterxml.jackson.databind.Module) module);
        // ok: swallowed-exception
        } catch (Throwable t) {
        }
    }
    static Object readProperty(Object bean, String name) {
        Object value = null;
        try {
            java.beans.BeanInfo info = java.beans.Introspector.getBeanInfo(bean.getClass());
            for (java.beans.PropertyDescriptor d : info.getPropertyDescriptors()) {
                if (d.getName().equals(name)) {
                    value = d.getReadMethod().invoke(bean);
                }
            }
        // ok: swallowed-exception
        } catch (Exception e) {
        }
        return value;
    }

    public void createArchiveDir(java.nio.file.Path dir) {
        try {
            java.nio.file.Files.createDirectory(dir);
        // ok: swallowed-exception
        } catch (java.nio.file.FileAlreadyExistsException e) {
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public java.io.InputStream openTemplate(String path) {
        try {
            return new java.net.URL(path).openStream();
        // ruleid: swallowed-exception
        } catch (java.io.IOException e) {
        }
        return null;
    }
    public String fetchStatus(org.apache.http.client.HttpClient client, String url) throws java.io.IOException {
        org.apache.http.client.methods.CloseableHttpResponse response = null;
        try {
            response = (org.apache.http.client.methods.CloseableHttpResponse) client.execute(new org.apache.http.client.methods.HttpGet(url));
            return org.apache.http.util.EntityUtils.toString(response.getEntity());
        } finally {
            if (response != null) {
                try {
                    response.close();
                // ok: swallowed-exception
                } catch (java.io.IOException e) {
                }
            }
        }
    }
    public void publishOrRollback(java.sql.Connection conn, Runnable publish) throws java.sql.SQLException {
        try {
            publish.run();
            conn.commit();
        } catch (RuntimeException e) {
            try {
                conn.rollback();
            // ok: swallowed-exception
            } catch (java.sql.SQLException rollbackFailure) {
            }
            throw e;
        }
    }
    public String readBanner(java.nio.file.Path path) {
        String banner = "";
        try {
            banner = new String(java.nio.file.Files.readAllBytes(path));
        // ok: swallowed-exception
        } catch (java.io.IOException e) {} // the banner file is optional; the default banner is empty
        return banner;
    }
    public Status refreshStatus(StatusApi api, String id) {
        Status status = Status.UNKNOWN;
        try {
            status = api.fetch(id);
        } finally {
            // ruleid: swallowed-exception
            return status;
        }
    }
    public int drain(java.util.List<Job> jobs) {
        int done = 0;
        for (Job job : jobs) {
            try {
                job.run();
                done++;
            } catch (Exception e) {
                log.warn("job {} failed", job, e);
            } finally {
                job.release();
                // ruleid: swallowed-exception
                continue;
            }
        }
        return done;
    }
    public void closeAll(java.util.List<java.io.Closeable> resources) throws IOException {
        try {
            ledger.flush();
        } finally {
            for (java.io.Closeable c : resources) {
                if (c == null) {
                    // ok: swallowed-exception
                    continue;
                }
                c.close();
            }
            Runnable report = () -> {
                // ok: swallowed-exception
                return;
            };
            report.run();
        }
    }
}
