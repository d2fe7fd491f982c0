-- Natural keys: the flat values go in as they are, no lookup of generated ids.
-- The customer keeps the name of its latest order (a correlated subquery).

INSERT INTO customers (email, name)
SELECT DISTINCT f.customer_email,
       (SELECT g.customer_name FROM orders_flat g
        WHERE g.customer_email = f.customer_email
        ORDER BY g.ordered_at DESC, g.customer_name LIMIT 1)
FROM orders_flat f;

INSERT INTO products (sku, name)
SELECT DISTINCT sku, product_name FROM orders_flat;

INSERT INTO orders (order_id, customer_email, ordered_at)
SELECT DISTINCT order_id, customer_email, ordered_at FROM orders_flat;

INSERT INTO order_items (order_id, sku, unit_price_cents, quantity)
SELECT order_id, sku, unit_price_cents, quantity FROM orders_flat;

-- The flat table has served its purpose: keeping it would keep every copy it holds.
DROP TABLE orders_flat;
