-- Fill the normalized tables from orders_flat (SQLite and PostgreSQL alike).
--
-- Parents first, so every foreign key finds its row: customers and products, then
-- orders, then their items. GROUP BY makes one row per key; where the flat data says
-- several things about one key, an aggregate picks one on purpose.

-- One customer per email. An email seen under several names keeps one of them:
-- MAX is an arbitrary but deterministic pick (NOTES.md: why not "the latest").
INSERT INTO customers (email, name)
SELECT customer_email, MAX(customer_name)
FROM orders_flat
GROUP BY customer_email;

-- One product per sku; its name is stored here and nowhere else.
INSERT INTO products (sku, name)
SELECT sku, MAX(product_name)
FROM orders_flat
GROUP BY sku;

-- One order per order_id, pointing at its customer through the email.
INSERT INTO orders (id, customer_id, ordered_at)
SELECT f.order_id, c.id, MIN(f.ordered_at)
FROM orders_flat f
JOIN customers c ON c.email = f.customer_email
GROUP BY f.order_id, c.id;

-- One item per flat row, with the price it was sold at (not the product's latest).
INSERT INTO order_items (order_id, product_id, unit_price_cents, quantity)
SELECT f.order_id, p.id, f.unit_price_cents, f.quantity
FROM orders_flat f
JOIN products p ON p.sku = f.sku;
