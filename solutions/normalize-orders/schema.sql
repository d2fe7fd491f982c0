-- A third-normal-form home for orders_flat (SQLite).
--
-- Each fact lives in the table of the thing it is about: a customer's name with the
-- customer, a product's name with the product, the time and buyer of an order with the
-- order, and what was sold at which price with the order item. Surrogate integer ids are
-- the keys other tables point at; the natural keys (email, sku) stay UNIQUE.

CREATE TABLE IF NOT EXISTS customers (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS products (
    id   INTEGER PRIMARY KEY,
    sku  TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
    -- The order keeps the id it had in orders_flat: other systems know it by that number.
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    ordered_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    -- The price the item was sold at: a fact about this sale, not about the product,
    -- whose price may change tomorrow without rewriting yesterday's orders.
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);

-- Totals are computed, never stored: a stored total is one more copy to keep in step.
CREATE VIEW IF NOT EXISTS order_totals AS
SELECT o.id AS order_id,
       c.email AS customer_email,
       SUM(i.unit_price_cents * i.quantity) AS total_cents
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN order_items i ON i.order_id = o.id
GROUP BY o.id, c.email;
