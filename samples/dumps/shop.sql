--
-- PostgreSQL database dump (synthetic sample)
--
SET statement_timeout = 0;
SET client_encoding = 'UTF8';

CREATE TABLE public.customer (
    customer_id integer NOT NULL,
    full_name text NOT NULL,
    email text,
    phone text,
    ssn text,
    password_hash text
);

CREATE TABLE public.product (
    product_id integer NOT NULL,
    name text NOT NULL,
    price numeric(10,2)
);

COPY public.customer (customer_id, full_name, email, phone, ssn, password_hash) FROM stdin;
1	Jane Doe	jane.doe@example.com	+44 20 7946 0958	078-05-1120	$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW
2	Mark Twain	mark.twain@example.org	+1 201-555-0142	219-09-9999	\N
3	Erika Mustermann	erika.mustermann@example.net	+49 30 901820	\N	pbkdf2_sha256$260000$0SZ7Z1pQJ5z8$kHHj1fX9v3yE2bqH6mQ8gW4dL0pR7sT1uV2wX3yZ4aA=
\.

COPY public.product (product_id, name, price) FROM stdin;
1	Blue Widget	9.99
2	Red Gadget v2.1.0.3	24.50
3	Gift card 1000	10.00
\.

INSERT INTO public.customer VALUES (4, 'Jean Dupont', 'jean.dupont@example.com', '+33 1 23 45 67 89', NULL, NULL);
